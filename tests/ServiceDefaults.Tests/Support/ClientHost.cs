using LlamaAspire.TestSupport.Network;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LlamaAspire.ServiceDefaults.Tests.Support;

/// <summary>
/// A built (not started) host with ServiceDefaults, where the logical service "upstream" points at a
/// test server and retry delays are short.
/// </summary>
internal sealed class ClientHost : IDisposable
{
    private readonly IHost _host;

    private ClientHost(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public static ClientHost Create(LoopbackWebServer upstream, Action<IServiceCollection>? configureServices = null, IDictionary<string, string?>? configuration = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Services:upstream:http:0"] = upstream.BaseAddress.ToString(),
            ["HttpClientDefaults:RetryBaseDelay"] = "00:00:00.010",
        };
        foreach (var (key, value) in configuration ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var builder = HostFactory.CreateHostBuilder(settings);
        builder.AddServiceDefaults();
        configureServices?.Invoke(builder.Services);
        return new ClientHost(builder.Build());
    }

    public HttpClient CreateClient(string name) => _host.Services.GetRequiredService<IHttpClientFactory>().CreateClient(name);

    public void Dispose() => _host.Dispose();
}
