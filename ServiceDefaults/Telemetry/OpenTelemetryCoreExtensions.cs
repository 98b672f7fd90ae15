using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;

namespace LlamaAspire.ServiceDefaults.Telemetry;

/// <summary>
/// Stand-in for OpenTelemetry.Extensions.Hosting, which the package feed does not carry.
/// Named differently from its <c>AddOpenTelemetry()</c> so both can coexist until the real package replaces this.
/// </summary>
public static class OpenTelemetryCoreExtensions
{
    public static IOpenTelemetryBuilder AddOpenTelemetryCore(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);

        // Touching Sdk runs its static constructor, which selects W3C ids and the default propagators.
        _ = Sdk.SuppressInstrumentation;
        services.AddOptions();

        // Index 0 so the providers exist before any other hosted service starts emitting telemetry.
        if (!services.Any(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(TelemetryProvidersStarter)))
        {
            services.Insert(0, ServiceDescriptor.Singleton<IHostedService, TelemetryProvidersStarter>());
        }

        return new OpenTelemetryCoreBuilder(services);
    }

    private sealed record OpenTelemetryCoreBuilder(IServiceCollection Services) : IOpenTelemetryBuilder;
}
