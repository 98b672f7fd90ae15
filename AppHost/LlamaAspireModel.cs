using LlamaAspire.AppHost.Configuration;
using LlamaAspire.AppHost.Hosting;
using LlamaAspire.AppHost.Projects;

namespace LlamaAspire.AppHost;

/// <summary>The application model: written with Aspire's verbs so that a real Aspire AppHost can take it over line by line.</summary>
public static class LlamaAspireModel
{
    public static void AddLlamaAspire(this DistributedApplicationBuilder builder, AppHostSettings settings)
    {
        var metadata = builder.AddProject<MetadataService>("metadata")
            .WithHttpEndpoint()
            .WithHttpHealthCheck("/health")
            .WithLlamaAspireDefaults(settings)
            .WithEnvironment(env =>
            {
                for (var i = 0; i < settings.ModelsDirs.Count; i++) env[$"Metadata__ModelDirs__{i}"] = settings.ModelsDirs[i];
                var discover = settings.DiscoverStores ? "true" : "false";
                env["Metadata__DiscoverLmStudio"] = discover;
                env["Metadata__DiscoverLlamaCppCache"] = discover;
                env["Metadata__DiscoverOllama"] = discover;
                env["Metadata__AllowFileDeletion"] = settings.AllowDeleteFiles ? "true" : "false";
            });

        var runnerAgent = builder.AddProject<RunnerAgent>("runneragent")
            .WithHttpEndpoint()
            .WithHttpHealthCheck("/health")
            .WithLlamaAspireDefaults(settings)
            .WithEnvironment("Runner__LlamaServerPath", settings.LlamaServer)
            .WithEnvironment("Runner__MaxRunners", settings.MaxRunners.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithEnvironment("Runner__DefaultKeepAlive", settings.KeepAlive)
            .WithEnvironment("Runner__DefaultContextLength", settings.ContextLength.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithEnvironment("Runner__Parallel", settings.Parallel.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithEnvironment("Runner__MemoryBudgetMiB", settings.MemoryBudgetMiB?.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithEnvironment(env =>
            {
                foreach (var (key, value) in settings.RunnerSections) env["Runner__" + key.Replace(":", "__", StringComparison.Ordinal)] = value;
            })
            .WithReference(metadata)
            .WaitFor(metadata);

        var gateway = builder.AddProject<Gateway>("gateway")
            .WithHttpEndpoint()
            .WithHttpEndpoint(settings.OllamaPort, "ollama")
            .WithHttpEndpoint(settings.LmStudioPort, "lmstudio")
            .WithHttpEndpoint(settings.OpenAiPort, "openai")
            .WithUserFacingEndpoint("ollama", settings)
            .WithUserFacingEndpoint("lmstudio", settings)
            .WithUserFacingEndpoint("openai", settings)
            .WithHttpHealthCheck("/health")
            .WithLlamaAspireDefaults(settings)
            .WithReference(metadata)
            .WithReference(runnerAgent)
            .WaitFor(runnerAgent);

        builder.AddProject<Dashboard>("dashboard")
            .WithHttpEndpoint(settings.DashboardPort)
            .WithUserFacingEndpoint("http", settings)
            .WithHttpHealthCheck("/health")
            .WithLlamaAspireDefaults(settings)
            .WithReference(metadata)
            .WithReference(runnerAgent)
            .WithReference(gateway)
            .WaitFor(gateway);
    }

    private static IResourceBuilder<ProjectResource> WithUserFacingEndpoint(
        this IResourceBuilder<ProjectResource> builder, string endpointName, AppHostSettings settings) =>
        builder.WithEndpoint(endpointName, endpoint =>
        {
            endpoint.TargetHost = settings.Host;
            endpoint.IsExternal = true;
        });

    /// <summary>Our own settings every service shares; none of them is needed when a real Aspire AppHost runs the services.</summary>
    private static IResourceBuilder<ProjectResource> WithLlamaAspireDefaults(
        this IResourceBuilder<ProjectResource> builder, AppHostSettings settings) =>
        builder
            .WithEnvironment("LlamaAspire__Home", settings.Home)
            .WithEnvironment("LlamaAspire__LogDirectory", settings.LogDirectory)
            .WithEnvironment("LlamaAspire__ExitOnStdinClose", "true")
            .WithEnvironment("Logging__Console__LogLevel__Default", settings.LogLevel)
            .WithEnvironment("Logging__Console__FormatterOptions__SingleLine", "true")
            .WithEnvironment("Logging__Console__FormatterOptions__ColorBehavior", Console.IsOutputRedirected ? "Disabled" : null)
            .WithEnvironment(env =>
            {
                // Keep per-request framework chatter off the console unless the user asked for detail.
                if (settings.LogLevel is "Information" or "Warning" or "Error" or "Critical" or "None")
                {
                    env["Logging__Console__LogLevel__Microsoft.AspNetCore"] = "Warning";
                    env["Logging__Console__LogLevel__System.Net.Http.HttpClient"] = "Warning";
                }
            });
}
