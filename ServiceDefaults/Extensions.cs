using LlamaAspire.ServiceDefaults;
using LlamaAspire.ServiceDefaults.Discovery;
using LlamaAspire.ServiceDefaults.Health;
using LlamaAspire.ServiceDefaults.Http;
using LlamaAspire.ServiceDefaults.Lifetime;
using LlamaAspire.ServiceDefaults.Logging;
using LlamaAspire.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Shared service wiring, shaped like the Aspire ServiceDefaults template (in this namespace on
/// purpose, so no using is needed). Packages the template uses but the feed lacks are replaced by the
/// small stand-ins in LlamaAspire.ServiceDefaults.*.
/// </summary>
public static class Extensions
{
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.AddRollingFileLogging();
        builder.AddStdinCloseWatch();

        builder.Services.AddServiceEndpointResolver();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            // Resilience outside discovery, so every retry resolves the endpoint again.
            http.AddControlPlaneResilience();
            http.AddServiceEndpointResolution();
        });

        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetryCore()
            .WithMetrics(metrics => metrics.AddMeter(
                "Microsoft.AspNetCore.Hosting",
                "Microsoft.AspNetCore.Server.Kestrel",
                "Microsoft.AspNetCore.Routing",
                "Microsoft.AspNetCore.Diagnostics",
                "System.Net.Http",
                "System.Net.NameResolution",
                "System.Runtime",
                LlamaAspireTelemetry.SourceWildcard))
            .WithTracing(tracing => tracing.AddSource(
                builder.Environment.ApplicationName,
                "Microsoft.AspNetCore",
                "System.Net.Http",
                LlamaAspireTelemetry.SourceWildcard));

        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IStartupFilter, HealthProbeTraceFilter>());
        builder.AddOpenTelemetryExporters();
        return builder;
    }

    private static TBuilder AddOpenTelemetryExporters<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        // Endpoint, protocol, headers and OTEL_SERVICE_NAME are read from IConfiguration by the providers.
        if (!string.IsNullOrWhiteSpace(builder.Configuration[LlamaAspireConfigKeys.OtlpEndpoint]))
        {
            builder.Services.AddOpenTelemetryCore().UseOtlpExporter();
        }

        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [HealthEndpointPaths.LiveTag]);
        return builder;
    }

    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        // Unlike the template, mapped in every environment: our AppHost waits on /health in Production
        // too, and services bind loopback only, so the probes are not exposed beyond the machine.
        app.MapHealthChecks(HealthEndpointPaths.Health);
        app.MapHealthChecks(HealthEndpointPaths.Alive, new HealthCheckOptions
        {
            Predicate = registration => registration.Tags.Contains(HealthEndpointPaths.LiveTag),
        });

        return app;
    }
}
