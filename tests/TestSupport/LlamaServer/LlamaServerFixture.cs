using Xunit;

namespace LlamaAspire.TestSupport.LlamaServer;

/// <summary>
/// The same binary as an xunit fixture: register it with [assembly: AssemblyFixture(typeof(LlamaServerFixture))]
/// or as a class fixture, and take it in a test class constructor.
/// </summary>
public sealed class LlamaServerFixture : IAsyncLifetime
{
    private string? _path;

    public string Path => _path ?? throw new InvalidOperationException("The fixture has not been initialised.");

    public async ValueTask InitializeAsync() => _path = await LlamaServerBinary.GetPathAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
