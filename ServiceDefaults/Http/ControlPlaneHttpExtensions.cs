using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LlamaAspire.ServiceDefaults.Http;

public static class ControlPlaneHttpExtensions
{
    // The OTLP exporter brings its own timeout and retry policy; stacking ours on top would double both.
    private static readonly string[] ExporterClientNames = ["OtlpTraceExporter", "OtlpMetricExporter", "OtlpLogExporter"];

    /// <summary>
    /// Registers <see cref="ControlPlaneHttpOptions"/>: every named instance binds the
    /// <c>HttpClientDefaults</c> section, and all instances are validated (the default one at start).
    /// </summary>
    public static IServiceCollection AddControlPlaneHttpOptions(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);

        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<ControlPlaneHttpOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<ControlPlaneHttpOptions>, BindAllControlPlaneHttpOptions>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ControlPlaneHttpOptions>>(
            new DataAnnotationValidateOptions<ControlPlaneHttpOptions>(name: null)));

        foreach (var name in ExporterClientNames)
        {
            services.DisableControlPlaneResilience(name);
        }

        return services;
    }

    /// <summary>Leaves the named client without timeouts or retries from <see cref="ControlPlaneHttpOptions"/>.</summary>
    public static IServiceCollection DisableControlPlaneResilience(this IServiceCollection services, string clientName)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(clientName);

        // PostConfigure, so neither configuration nor call order can switch it back on.
        return services.PostConfigure<ControlPlaneHttpOptions>(clientName, static options => options.Enabled = false);
    }

    /// <summary>
    /// Adds the control-plane resilience handler, decided per client name: a client whose options say
    /// <c>Enabled = false</c> gets no handler at all.
    /// </summary>
    public static IHttpClientBuilder AddControlPlaneResilience(this IHttpClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddControlPlaneHttpOptions();

        // Through HttpMessageHandlerBuilderActions because only the handler builder knows the client's name.
        // A null builder name (inside ConfigureHttpClientDefaults) configures every client.
        builder.Services.Configure<HttpClientFactoryOptions>(builder.Name, static factoryOptions =>
            factoryOptions.HttpMessageHandlerBuilderActions.Add(AddHandlerIfEnabled));
        return builder;
    }

    private static void AddHandlerIfEnabled(HttpMessageHandlerBuilder handlerBuilder)
    {
        var services = handlerBuilder.Services;
        var clientName = handlerBuilder.Name ?? Options.DefaultName;

        // The factory (not the monitor's cache) so each handler rotation sees current configuration.
        var options = services.GetRequiredService<IOptionsFactory<ControlPlaneHttpOptions>>().Create(clientName);
        if (!options.Enabled)
        {
            return;
        }

        var pipelines = ControlPlanePipelines.Create(
            options,
            clientName,
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILoggerFactory>().CreateLogger<ControlPlaneResilienceHandler>());
        handlerBuilder.AdditionalHandlers.Add(new ControlPlaneResilienceHandler(pipelines));
    }

    private sealed class BindAllControlPlaneHttpOptions(IConfiguration configuration) : IConfigureNamedOptions<ControlPlaneHttpOptions>
    {
        public void Configure(string? name, ControlPlaneHttpOptions options) =>
            configuration.GetSection(ControlPlaneHttpOptions.SectionName).Bind(options);

        public void Configure(ControlPlaneHttpOptions options) => Configure(Options.DefaultName, options);
    }
}
