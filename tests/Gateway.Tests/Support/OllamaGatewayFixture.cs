using LlamaAspire.TestSupport.Network;

namespace LlamaAspire.Gateway.Tests.Support;

/// <summary>One Gateway over <see cref="FakeOllamaUpstreams"/>, with one extra allowed browser origin.</summary>
public sealed class OllamaGatewayFixture : IAsyncLifetime
{
    public const string ExtraOrigin = "https://chat.example.com";
    public const string Version = "0.13.1";

    private LoopbackWebServer? _metadata;
    private LoopbackWebServer? _runnerAgent;
    private GatewayProcess? _gateway;

    internal GatewayProcess Gateway => _gateway ?? throw new InvalidOperationException("The fixture has not been initialised.");

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        _metadata = await FakeOllamaUpstreams.StartMetadataAsync(ct);
        _runnerAgent = await FakeOllamaUpstreams.StartRunnerAgentAsync(ct);
        _gateway = await GatewayProcess.StartHealthyAsync(_metadata.BaseAddress, _runnerAgent.BaseAddress, new Dictionary<string, string>
        {
            ["Ollama__Version"] = Version,
            ["Ollama__AllowedOrigins__0"] = ExtraOrigin,
        }, ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (_gateway is not null) await _gateway.DisposeAsync();
        if (_runnerAgent is not null) await _runnerAgent.DisposeAsync();
        if (_metadata is not null) await _metadata.DisposeAsync();
    }
}
