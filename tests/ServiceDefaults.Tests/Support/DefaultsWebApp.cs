using LlamaAspire.TestSupport.Network;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace LlamaAspire.ServiceDefaults.Tests.Support;

/// <summary>A started Kestrel app with ServiceDefaults and MapDefaultEndpoints, plus whatever the test adds.</summary>
internal sealed class DefaultsWebApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DefaultsWebApp(WebApplication app)
    {
        _app = app;
        Client = new HttpClient { BaseAddress = LoopbackWebServer.ListeningAddress(app) };
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<DefaultsWebApp> StartAsync(
        CancellationToken ct,
        Action<WebApplicationBuilder>? configureBuilder = null,
        Action<WebApplication>? mapRoutes = null,
        IDictionary<string, string?>? configuration = null)
    {
        var builder = HostFactory.CreateWebBuilder(configuration);
        builder.AddServiceDefaults();
        configureBuilder?.Invoke(builder);

        var app = builder.Build();
        app.MapDefaultEndpoints();
        mapRoutes?.Invoke(app);
        await app.StartAsync(ct);
        return new DefaultsWebApp(app);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
