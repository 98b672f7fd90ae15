using LlamaAspire.RunnerAgent.Metadata;

namespace LlamaAspire.RunnerAgent.Scheduling;

public enum SlotPhase
{
    Unloaded,
    Loading,
    Ready,
    Unloading,
}

/// <summary>The scheduler's view of one model: its phase, its queue and its leases. Only <see cref="SchedulerCore"/> changes it.</summary>
internal sealed class ModelSlot(ModelInfo model)
{
    public ModelInfo Model { get; set; } = model;

    public string Id => Model.Id;

    public SlotPhase Phase { get; set; }

    /// <summary>The context of the process loading or loaded; 0 without one.</summary>
    public int ContextLength { get; set; }

    public long EstimateBytes { get; set; }

    public Uri? Endpoint { get; set; }

    public LinkedList<QueuedRequest> Queue { get; } = new();

    public Dictionary<Guid, ActiveLease> Leases { get; } = [];

    public DateTimeOffset LastUsed { get; set; }

    /// <summary>From the last request that used it; <see cref="Timeout.InfiniteTimeSpan"/> keeps it loaded.</summary>
    public TimeSpan KeepAlive { get; set; }

    /// <summary>The model that waits for this one's place. New requests are still served until that model has waited long enough.</summary>
    public string? DrainingFor { get; set; }

    public DateTimeOffset DrainingSince { get; set; }

    /// <summary>A queued request needs a larger context: no new leases, restart once the current ones end.</summary>
    public bool RestartForContext { get; set; }

    /// <summary>An explicit unload: no new leases, unload once the current ones end.</summary>
    public bool UnloadRequested { get; set; }

    /// <summary>Holds a process, or is about to: counts against MaxRunners and the memory budget.</summary>
    public bool Occupies => Phase != SlotPhase.Unloaded;

    public bool IsIdle => Leases.Count == 0 && Queue.Count == 0;

    /// <summary>When an idle ready model unloads; null when it is busy, not ready, or kept forever.</summary>
    public DateTimeOffset? ExpiresAt =>
        Phase == SlotPhase.Ready && IsIdle && KeepAlive != Timeout.InfiniteTimeSpan ? LastUsed + KeepAlive : null;
}

internal sealed record QueuedRequest(long Id, ModelRequest Request, DateTimeOffset EnqueuedAt);

internal sealed class ActiveLease(Guid id, long requestId, TimeSpan keepAlive, DateTimeOffset renewBy)
{
    public Guid Id { get; } = id;

    public long RequestId { get; } = requestId;

    public TimeSpan KeepAlive { get; } = keepAlive;

    public DateTimeOffset RenewBy { get; set; } = renewBy;
}
