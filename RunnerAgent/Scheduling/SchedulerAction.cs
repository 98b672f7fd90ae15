namespace LlamaAspire.RunnerAgent.Scheduling;

/// <summary>What the scheduler decided; the shell around it carries each one out and reports back.</summary>
public abstract record SchedulerAction
{
    /// <summary>Start the model's server with this context; answer with LoadSucceeded or LoadFailed.</summary>
    public sealed record Load(string ModelId, int ContextLength) : SchedulerAction;

    /// <summary>Stop the model's server; answer with Unloaded.</summary>
    public sealed record Unload(string ModelId, string Reason) : SchedulerAction;

    public sealed record Grant(long RequestId, LeaseGrant Lease) : SchedulerAction;

    public sealed record Reject(long RequestId, SchedulerError Error) : SchedulerAction;

    /// <summary>A lease lapsed without renewal and was ended: its holder is gone. For the log.</summary>
    public sealed record LeaseReclaimed(Guid LeaseId, string ModelId) : SchedulerAction;
}

/// <summary>A request may use the model's server at <paramref name="Endpoint"/> until it releases the lease (or stops renewing it).</summary>
public sealed record LeaseGrant(Guid LeaseId, string ModelId, Uri Endpoint, int ContextLength, DateTimeOffset RenewBy);

public enum SchedulerErrorKind
{
    /// <summary>The model's queue is full.</summary>
    Busy,

    /// <summary>The model waited longer than the swap timeout for another model to finish.</summary>
    SwapTimeout,

    /// <summary>The model's estimate exceeds the whole memory budget.</summary>
    NeverFits,

    LoadFailed,

    ShuttingDown,
}

public sealed record SchedulerError(SchedulerErrorKind Kind, string Message);
