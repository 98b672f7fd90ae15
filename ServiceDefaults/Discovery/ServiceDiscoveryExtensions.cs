using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LlamaAspire.ServiceDefaults.Discovery;

/// <summary>
/// Registration for <see cref="ServiceEndpointResolver"/>. Named apart from the package's
/// <c>AddServiceDiscovery</c> so the two never collide if the real package arrives.
/// </summary>
public static class ServiceDiscoveryExtensions
{
    public static IServiceCollection AddServiceEndpointResolver(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<ServiceEndpointResolver>();
        return services;
    }

    /// <summary>Adds the resolving handler to a client (or to all clients inside ConfigureHttpClientDefaults).</summary>
    public static IHttpClientBuilder AddServiceEndpointResolution(this IHttpClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddServiceEndpointResolver();
        return builder.AddHttpMessageHandler(sp => new ServiceDiscoveryHandler(sp.GetRequiredService<ServiceEndpointResolver>()));
    }
}
