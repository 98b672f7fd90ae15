using System.Net;
using LlamaAspire.ServiceDefaults.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LlamaAspire.ServiceDefaults;

/// <summary>
/// HttpClients for streaming inference (llama-server token streams). A generation can run for many
/// minutes and must never be replayed, so these clients get service discovery but no retries and no
/// timeouts; callers bound them with their own cancellation (client abort, idle timeout).
/// </summary>
public static class InferenceHttpClientExtensions
{
    public static IHttpClientBuilder AddInferenceHttpClient(this IServiceCollection services, string name)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);

        services.DisableControlPlaneResilience(name);
        return services.AddHttpClient(name)
            .ConfigureHttpClient(static client => client.Timeout = Timeout.InfiniteTimeSpan)
            .UseSocketsHttpHandler(static (handler, _) => ConfigureForStreaming(handler))
            // Four log lines per call (start, send, headers, end) at Information, on the path of every token's first
            // byte; failures are logged by the callers, and traces keep the timings.
            .RemoveAllLoggers()
            // PooledConnectionLifetime already recycles connections, so the handler itself can live forever.
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
    }

    /// <summary>Typed-client form; the client name is <typeparamref name="TClient"/>'s type name.</summary>
    public static IHttpClientBuilder AddInferenceHttpClient<TClient>(this IServiceCollection services)
        where TClient : class =>
        services.AddInferenceHttpClient(typeof(TClient).Name).AddTypedClient<TClient>();

    private static void ConfigureForStreaming(SocketsHttpHandler handler)
    {
        // Bytes are relayed as llama-server sent them; transparent decompression would break Content-Encoding.
        handler.AutomaticDecompression = DecompressionMethods.None;
        handler.AllowAutoRedirect = false;
        // A cookie jar shared by every caller of the gateway would leak state between users.
        handler.UseCookies = false;
        // Only limits reuse of idle pooled connections; an in-flight stream is never cut by it.
        handler.PooledConnectionLifetime = TimeSpan.FromMinutes(5);
        // Short: llama-server's shutdown waits about 100 ms for each idle connection still open, and an unload follows idleness.
        handler.PooledConnectionIdleTimeout = TimeSpan.FromSeconds(2);
        handler.ConnectTimeout = TimeSpan.FromSeconds(15);
    }
}
