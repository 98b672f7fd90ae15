using LlamaAspire.TestSupport.Network;

namespace LlamaAspire.Gateway.Tests.Support;

/// <summary>
/// One Gateway per test class, over a MetadataService that lists <see cref="ModelIds"/>. The Gateway keeps
/// no state between these requests, so tests sharing it stay independent.
/// </summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    /// <summary>Deliberately not sorted: the Gateway must keep MetadataService's order.</summary>
    public static readonly string[] ModelIds = ["zeta", "a", "qwen2.5-7b-instruct"];

    private LoopbackWebServer? _metadata;
    private GatewayProcess? _gateway;

    internal GatewayProcess Gateway => _gateway ?? throw new InvalidOperationException("The fixture has not been initialised.");

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        _metadata = await FakeMetadataService.StartWithModelsAsync(ct, ModelIds);
        _gateway = await GatewayProcess.StartHealthyAsync(_metadata.BaseAddress, ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (_gateway is not null) await _gateway.DisposeAsync();
        if (_metadata is not null) await _metadata.DisposeAsync();
    }
}
