using LlamaAspire.RunnerAgent.LlamaServer;
using LlamaAspire.RunnerAgent.Metadata;
using LlamaAspire.RunnerAgent.Processes;
using LlamaAspire.RunnerAgent.Runners;
using LlamaAspire.RunnerAgent.Scheduling;
using Microsoft.Extensions.Options;

namespace LlamaAspire.RunnerAgent;

public static class RunnerAgentExtensions
{
    public static IHostApplicationBuilder AddRunnerAgentServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RunnerOptions>()
            .BindConfiguration(RunnerOptions.SectionName)
            .PostConfigure(o => o.CacheDirectory ??= Path.Combine(
                builder.Configuration["LlamaAspire:Home"] is { Length: > 0 } home
                    ? home
                    : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".llama-aspire"),
                "cache"))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<LlamaServerLocator>();
        builder.Services.AddHostedService<LlamaServerProvisioner>();
        builder.Services.AddSingleton<RunnerEvents>();
        builder.Services.AddSingleton<IRunnerProcessLauncher, LlamaServerLauncher>();
        builder.Services.AddSingleton<IValidateOptions<RunnerOptions>, RunnerOptionsValidator>();
        builder.Services.AddSingleton<RunnerScheduler>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RunnerScheduler>());
        builder.Services.AddHttpClient<MetadataClient>(client => client.BaseAddress = new Uri("http://metadata"));
        return builder;
    }
}
