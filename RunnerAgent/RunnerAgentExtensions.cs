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
        var home = builder.Configuration["LlamaAspire:Home"] is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".llama-aspire");
        builder.Services.AddOptions<RunnerOptions>()
            .BindConfiguration(RunnerOptions.SectionName)
            .PostConfigure(o => o.CacheDirectory ??= Path.Combine(home, "cache"))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<LlamaServerLocator>();
        builder.Services.AddHostedService<LlamaServerProvisioner>();
        builder.Services.AddSingleton<RunnerEvents>();
        // Every llama-server started is recorded, and an earlier agent's leftovers are reaped before the scheduler starts.
        builder.Services.AddSingleton(sp => RunnerPidFile.InHome(home, sp.GetRequiredService<ILogger<RunnerPidFile>>()));
        builder.Services.AddHostedService<RunnerPidReaper>();
        builder.Services.AddSingleton<LlamaServerLauncher>();
        builder.Services.AddSingleton<IRunnerProcessLauncher>(sp =>
            new PidRecordingLauncher(sp.GetRequiredService<LlamaServerLauncher>(), sp.GetRequiredService<RunnerPidFile>()));
        builder.Services.AddSingleton<IValidateOptions<RunnerOptions>, RunnerOptionsValidator>();
        builder.Services.AddSingleton<RunnerScheduler>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RunnerScheduler>());
        builder.Services.AddHttpClient<MetadataClient>(client => client.BaseAddress = new Uri("http://metadata"));
        return builder;
    }
}
