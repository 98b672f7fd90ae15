using System.Net;
using LlamaAspire.RunnerAgent.Runners;
using LlamaAspire.TestSupport.Network;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlamaAspire.RunnerAgent.Tests.Support;

/// <summary>RunnersApi on a real Kestrel (127.0.0.1, ephemeral port) over a harness's registry.</summary>
internal sealed class AgentHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private AgentHost(WebApplication app)
    {
        _app = app;
        Http = new HttpClient { BaseAddress = LoopbackWebServer.ListeningAddress(app) };
    }

    public HttpClient Http { get; }

    public static async Task<AgentHost> StartAsync(RegistryHarness harness, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Configuration.Sources.Clear();   // RunnerAgent's appsettings.json beside the tests must not add its endpoints
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(harness.Registry);
        builder.Services.AddSingleton<RunnerEvents>(harness.Registry.Events);

        var app = builder.Build();
        app.MapRunnersApi();
        app.MapLeasesApi();
        await app.StartAsync(ct);
        return new AgentHost(app);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
