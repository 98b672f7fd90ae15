using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlamaAspire.TestSupport.Network;

/// <summary>
/// A real Kestrel server on 127.0.0.1 and an ephemeral port with the routes a test maps: a stand-in upstream,
/// fake service or telemetry collector. It reads no configuration and listens only where it is told.
/// </summary>
public sealed class LoopbackWebServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackWebServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static Task<LoopbackWebServer> StartAsync(Action<WebApplication> mapRoutes, CancellationToken ct = default) =>
        StartAsync(_ => { }, mapRoutes, ct);

    /// <summary>As the other overload, with services registered before the app is built.</summary>
    public static async Task<LoopbackWebServer> StartAsync(
        Action<IServiceCollection> services, Action<WebApplication> mapRoutes, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(mapRoutes);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Configuration.Sources.Clear();   // a service's appsettings.json copied beside the tests must not add its Kestrel endpoints
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        services(builder.Services);

        var app = builder.Build();
        mapRoutes(app);
        await app.StartAsync(ct);
        return new LoopbackWebServer(app, ListeningAddress(app));
    }

    public static Uri ListeningAddress(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
