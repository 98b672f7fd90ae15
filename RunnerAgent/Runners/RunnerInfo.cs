using LlamaAspire.RunnerAgent.Scheduling;

namespace LlamaAspire.RunnerAgent.Runners;

/// <summary>
/// A model the scheduler is working with, as GET /runners reports it. State is queued, loading, ready or unloading;
/// the process fields are null until it has one. Memory is the estimate the budget uses and, where the OS says, the
/// process's resident size. Args is the llama-server command line (binary first) while it has a process.
/// </summary>
public sealed record RunnerInfo(
    string Model,
    string State,
    string? Endpoint,
    int? Port,
    int? Pid,
    int ContextLength,
    int Parallel,
    DateTimeOffset? StartedAt,
    DateTimeOffset LastUsedAt,
    DateTimeOffset? ExpiresAt,
    int InFlight,
    int Queued,
    long MemoryEstimateBytes,
    long? MemoryBytes,
    string Runtime,
    string RuntimePath,
    string? RuntimeVersion,
    double? LoadProgress,
    IReadOnlyList<string>? Args = null);

public abstract record StartResult
{
    public sealed record Ready(RunnerInfo Runner) : StartResult;

    public sealed record ModelNotFound(string Model) : StartResult;

    public sealed record Failed(string Model, string Message, SchedulerErrorKind Kind = SchedulerErrorKind.LoadFailed) : StartResult;
}
