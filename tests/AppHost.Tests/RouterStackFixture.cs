using LlamaAspire.AppHost.Hosting;
using LlamaAspire.AppHost.Hosting.Testing;
using LlamaAspire.TestSupport;
using LlamaAspire.TestSupport.LlamaServer;
using LlamaAspire.TestSupport.Models;
using LlamaAspire.TestSupport.Processes;

namespace LlamaAspire.AppHost.Tests;

/// <summary>
/// One running application for the router routes: four services, real llama-servers, a chat model started with
/// --metrics (so GET /metrics has something to relay) and an embedding model.
/// </summary>
public sealed class RouterStackFixture : IAsyncLifetime
{
    private static readonly string[] Services = ["metadata", "runneragent", "gateway", "dashboard"];
    private readonly TempDirectory _home = new("router-stack");
    private DistributedApplication? _app;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("Not started.");

    public async ValueTask InitializeAsync()
    {
        var models = Directory.CreateDirectory(Path.Combine(_home.Path, "models")).FullName;
        TinyModels.WriteChatModel(Path.Combine(models, "tiny-chat.gguf"));
        TinyModels.WriteEmbeddingModel(Path.Combine(models, "embed", "tiny-embed.gguf"));
        File.WriteAllText(Path.Combine(_home.Path, "config.json"), """
            { "models": [ { "model": "tiny-chat", "args": ["--metrics"] } ] }
            """);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync(
            ["--home", _home.Path, "--models-dir", models, "--llama-server", await LlamaServerBinary.GetPathAsync(), "--discover-stores", "false", "--max-runners", "2"]);
        _app = await builder.BuildAsync();
        await _app.StartAsync();
        foreach (var service in Services) await _app.ResourceNotifications.WaitForResourceHealthyAsync(service, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        await ProcessAssert.NoneRunningAsync(_home.Path, TimeSpan.FromSeconds(10));
        _home.Dispose();
    }
}
