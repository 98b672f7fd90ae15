using LlamaAspire.RunnerAgent.Processes;

namespace LlamaAspire.RunnerAgent.Scheduling;

/// <summary>What <see cref="RunnerScheduler"/>'s loop reads: callers' requests, and the outcomes of the work it started.</summary>
internal abstract record SchedulerMessage
{
    /// <summary><paramref name="Launch"/> is null when the model's runner already exists.</summary>
    public sealed record Enqueue(long RequestId, ModelRequest Request, RunnerLaunch? Launch, TaskCompletionSource<LeaseGrant> Reply) : SchedulerMessage;

    public sealed record Cancel(long RequestId) : SchedulerMessage;

    public sealed record Release(Guid LeaseId, TaskCompletionSource<bool> Reply) : SchedulerMessage;

    public sealed record Renew(Guid LeaseId, TaskCompletionSource<DateTimeOffset?> Reply) : SchedulerMessage;

    public sealed record LoadCompleted(string ModelId, IRunnerProcess? Process, string? Error) : SchedulerMessage;

    public sealed record ProcessExited(string ModelId, IRunnerProcess Process) : SchedulerMessage;

    public sealed record UnloadCompleted(string ModelId) : SchedulerMessage;

    public sealed record Unload(string ModelId, TaskCompletionSource<bool> Reply) : SchedulerMessage;

    public sealed record UnloadAll(TaskCompletionSource<int> Reply) : SchedulerMessage;

    public sealed record Snapshot(TaskCompletionSource<IReadOnlyList<SlotSnapshot>> Reply) : SchedulerMessage;

    public sealed record Tick : SchedulerMessage;

    public sealed record Shutdown(TaskCompletionSource Reply) : SchedulerMessage;
}

/// <summary>A request for a model as callers make it: the name they used, and optionally Ollama's num_ctx and keep_alive.</summary>
public sealed record LeaseRequest(string Model, int? ContextLength = null, TimeSpan? KeepAlive = null);

public abstract record AcquireResult
{
    public sealed record Granted(LeaseGrant Lease) : AcquireResult;

    public sealed record ModelNotFound(string Model) : AcquireResult;

    public sealed record Rejected(string Model, SchedulerError Error) : AcquireResult;
}
