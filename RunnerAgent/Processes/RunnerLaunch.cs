using LlamaAspire.RunnerAgent.Metadata;

namespace LlamaAspire.RunnerAgent.Processes;

/// <summary>
/// Everything a model's server is started with. <paramref name="ContextLength"/> 0 leaves the context to the model;
/// <paramref name="ExtraArgs"/> come from the model's configuration and were checked against the binary's flags.
/// <paramref name="SharedContext"/>: the binary knows --kv-unified, so parallel slots share the whole context instead
/// of splitting it; <paramref name="RuntimeVersion"/> is what its --version said.
/// </summary>
public sealed record RunnerLaunch(
    ModelInfo Model,
    string Binary,
    int ContextLength = 0,
    int Parallel = 1,
    IReadOnlyList<string>? ExtraArgs = null,
    string Runtime = RunnerLaunch.DefaultRuntime,
    bool SharedContext = false,
    string? RuntimeVersion = null)
{
    public const string DefaultRuntime = "default";
}
