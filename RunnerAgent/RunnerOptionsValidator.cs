using LlamaAspire.RunnerAgent.Processes;
using LlamaAspire.RunnerAgent.Scheduling;
using Microsoft.Extensions.Options;

namespace LlamaAspire.RunnerAgent;

/// <summary>What data annotations cannot say: keep-alive texts parse, per-model entries name a model and a known runtime.</summary>
public sealed class RunnerOptionsValidator : IValidateOptions<RunnerOptions>
{
    public ValidateOptionsResult Validate(string? name, RunnerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!KeepAlive.TryParse(options.DefaultKeepAlive, out _, out var error)) failures.Add($"Runner:DefaultKeepAlive: {error}");
        foreach (var (runtime, path) in options.Runtimes)
        {
            if (string.IsNullOrWhiteSpace(path)) failures.Add($"Runner:Runtimes:{runtime} needs the path of a llama-server binary");
        }
        for (var i = 0; i < options.Models.Count; i++)
        {
            var model = options.Models[i];
            var key = $"Runner:Models:{i}";
            if (string.IsNullOrWhiteSpace(model.Model)) failures.Add($"{key}:Model must name a model id");
            if (model.KeepAlive is { } keepAlive && !KeepAlive.TryParse(keepAlive, out _, out error)) failures.Add($"{key}:KeepAlive: {error}");
            if (model.ContextLength is < 0) failures.Add($"{key}:ContextLength must be positive");
            if (model.Parallel is < 1) failures.Add($"{key}:Parallel must be at least 1");
            if (model.Runtime is { } runtime && runtime != RunnerLaunch.DefaultRuntime && !options.Runtimes.ContainsKey(runtime))
                failures.Add($"{key}:Runtime '{runtime}' is not one of Runner:Runtimes ({string.Join(", ", options.Runtimes.Keys.Prepend(RunnerLaunch.DefaultRuntime))})");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
