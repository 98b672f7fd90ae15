namespace LlamaAspire.RunnerAgent.Scheduling;

/// <summary>
/// Who runs where and when, as pure logic: every event (a request, a release, a load's outcome, the clock) changes the
/// state and returns the actions to carry out. No I/O and no threads; the caller serializes calls and reads the time
/// from the same <see cref="TimeProvider"/>.
/// </summary>
/// <remarks>
/// The rules, in the order <see cref="Pump"/> applies them:
/// a ready model takes every queued request it can serve (FIFO); a waiting model loads when there is room under
/// MaxRunners and the memory budget; otherwise it makes room, oldest waiter first and one swap at a time, from idle
/// models (least recently used first) and then busy ones, which drain: they keep taking new requests until the waiter
/// has waited MaxWaitBeforeSwap (anti-thrash), then none, and unload once their last lease ends. Nothing in flight is
/// ever stopped; a swap that waits longer than SwapTimeout answers its requests with an error instead.
/// </remarks>
public sealed class SchedulerCore(SchedulerPolicy policy, TimeProvider time)
{
    private readonly Dictionary<string, ModelSlot> _slots = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<long, ModelSlot> _queuedIn = [];
    private readonly Dictionary<Guid, ModelSlot> _leasedFrom = [];
    private readonly List<SchedulerAction> _actions = [];

    public SchedulerPolicy Policy => policy;

    public IReadOnlyList<SchedulerAction> Enqueue(long requestId, ModelRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!_slots.TryGetValue(request.Model.Id, out var slot)) _slots[request.Model.Id] = slot = new ModelSlot(request.Model);
        if (slot.Phase == SlotPhase.Unloaded) slot.Model = request.Model;

        var need = MemoryEstimate.For(request.Model, Math.Max(request.DefaultContextLength, request.RequiredContextLength ?? 0));
        if (need > policy.MemoryBudgetBytes) return RejectOne(requestId, NeverFits(request.Model.Id, need));
        if (slot.Queue.Count >= policy.MaxQueuePerModel)
        {
            return RejectOne(requestId, new SchedulerError(SchedulerErrorKind.Busy,
                $"server busy: {slot.Queue.Count} requests are already waiting for '{slot.Id}' (the limit is {policy.MaxQueuePerModel}); try again later"));
        }
        slot.Queue.AddLast(new QueuedRequest(requestId, request, time.GetUtcNow()));
        _queuedIn[requestId] = slot;
        return Pump();
    }

    /// <summary>The caller gave up: the request leaves its queue at once. Unknown ids (already granted or rejected) are ignored.</summary>
    public IReadOnlyList<SchedulerAction> Cancel(long requestId)
    {
        if (!_queuedIn.Remove(requestId, out var slot)) return [];
        for (var node = slot.Queue.First; node is not null; node = node.Next)
        {
            if (node.Value.Id != requestId) continue;
            slot.Queue.Remove(node);
            break;
        }
        return Pump();
    }

    public IReadOnlyList<SchedulerAction> Release(Guid leaseId, out bool found)
    {
        found = _leasedFrom.Remove(leaseId, out var slot);
        if (!found) return [];
        EndLease(slot!, leaseId);
        return Pump();
    }

    /// <summary>The new renew-by time, or null when the lease is unknown (released, or taken back after it lapsed).</summary>
    public DateTimeOffset? Renew(Guid leaseId)
    {
        if (!_leasedFrom.TryGetValue(leaseId, out var slot)) return null;
        var lease = slot.Leases[leaseId];
        lease.RenewBy = time.GetUtcNow() + policy.LeaseTimeout;
        return lease.RenewBy;
    }

    public IReadOnlyList<SchedulerAction> LoadSucceeded(string modelId, Uri endpoint)
    {
        if (_slots.GetValueOrDefault(modelId) is not { Phase: SlotPhase.Loading } slot) return [];
        slot.Phase = SlotPhase.Ready;
        slot.Endpoint = endpoint;
        slot.LastUsed = time.GetUtcNow();
        return Pump();
    }

    public IReadOnlyList<SchedulerAction> LoadFailed(string modelId, string reason)
    {
        if (_slots.GetValueOrDefault(modelId) is not { Phase: SlotPhase.Loading } slot) return [];
        BecomeUnloaded(slot);
        RejectQueue(slot, new SchedulerError(SchedulerErrorKind.LoadFailed, reason));
        return Pump();
    }

    /// <summary>The ready model's process died. Its leases stay until their holders let go (their streams broke); the next request reloads it.</summary>
    public IReadOnlyList<SchedulerAction> Crashed(string modelId)
    {
        if (_slots.GetValueOrDefault(modelId) is not { Phase: SlotPhase.Ready } slot) return [];
        BecomeUnloaded(slot);
        return Pump();
    }

    public IReadOnlyList<SchedulerAction> Unloaded(string modelId)
    {
        if (_slots.GetValueOrDefault(modelId) is not { Phase: SlotPhase.Unloading } slot) return [];
        BecomeUnloaded(slot);
        return Pump();
    }

    /// <summary>Unloads the model once its leases end; queued requests load it again afterwards. False when it has no process.</summary>
    public IReadOnlyList<SchedulerAction> RequestUnload(string modelId, out bool hasProcess)
    {
        hasProcess = _slots.GetValueOrDefault(modelId) is { Occupies: true } slot && MarkForUnload(slot);
        return hasProcess ? Pump() : [];
    }

    /// <summary>Unloads every model once its leases end; answers the models that had a process.</summary>
    public IReadOnlyList<SchedulerAction> RequestUnloadAll(out IReadOnlyList<string> models)
    {
        models = [.. _slots.Values.Where(s => s.Occupies && MarkForUnload(s)).Select(s => s.Id)];
        return Pump();
    }

    /// <summary>The clock moved: idle models expire, lapsed leases are taken back, swaps time out.</summary>
    public IReadOnlyList<SchedulerAction> Tick() => Pump();

    /// <summary>The host is stopping: every waiting request is answered; the caller stops the processes.</summary>
    public IReadOnlyList<SchedulerAction> RejectAllQueued(string reason)
    {
        foreach (var slot in _slots.Values) RejectQueue(slot, new SchedulerError(SchedulerErrorKind.ShuttingDown, reason));
        return TakeActions();
    }

    /// <summary>When <see cref="Tick"/> has something to do next; null when only an event can change anything.</summary>
    public DateTimeOffset? NextWakeAt()
    {
        DateTimeOffset? next = null;
        foreach (var slot in _slots.Values)
        {
            next = Earliest(next, slot.ExpiresAt);
            foreach (var lease in slot.Leases.Values) next = Earliest(next, lease.RenewBy);
            if (slot.DrainingFor is not null) next = Earliest(next, slot.DrainingSince + policy.SwapTimeout);
        }
        return next;
    }

    public IReadOnlyList<SlotSnapshot> Snapshot() =>
    [
        .. _slots.Values.Select(s => new SlotSnapshot(
            s.Id, s.Phase, s.ContextLength, s.EstimateBytes, s.Leases.Count, s.Queue.Count, s.LastUsed, s.ExpiresAt,
            s.KeepAlive, s.DrainingFor, s.RestartForContext, s.UnloadRequested)),
    ];

    private SchedulerAction[] Pump()
    {
        var now = time.GetUtcNow();
        ReclaimLapsedLeases(now);
        EndTimedOutSwaps(now);
        ClearDrainsNobodyWaitsFor();
        GrantOnReadyModels(now);
        AdmitWaitingModels(now);
        UnloadDrainedModels();
        UnloadExpiredModels(now);
        return TakeActions();
    }

    private void ReclaimLapsedLeases(DateTimeOffset now)
    {
        foreach (var slot in _slots.Values)
        {
            foreach (var lease in slot.Leases.Values.Where(l => l.RenewBy <= now).ToList())
            {
                _leasedFrom.Remove(lease.Id);
                EndLease(slot, lease.Id);
                _actions.Add(new SchedulerAction.LeaseReclaimed(lease.Id, slot.Id));
            }
        }
    }

    private void EndTimedOutSwaps(DateTimeOffset now)
    {
        foreach (var victim in _slots.Values.Where(s => s.DrainingFor is not null && now - s.DrainingSince >= policy.SwapTimeout).ToList())
        {
            if (_slots.GetValueOrDefault(victim.DrainingFor!) is { } waiter)
            {
                RejectQueue(waiter, new SchedulerError(SchedulerErrorKind.SwapTimeout,
                    $"server busy: '{waiter.Id}' waited {policy.SwapTimeout.TotalSeconds:0} s for '{victim.Id}' to finish " +
                    $"{victim.Leases.Count} request(s) and make room (max runners {policy.MaxRunners}); try again later"));
            }
            victim.DrainingFor = null;
        }
    }

    private void ClearDrainsNobodyWaitsFor()
    {
        foreach (var slot in _slots.Values)
        {
            if (slot.DrainingFor is { } waiter && _slots.GetValueOrDefault(waiter) is not { Phase: SlotPhase.Unloaded, Queue.Count: > 0 })
                slot.DrainingFor = null;
        }
    }

    private void GrantOnReadyModels(DateTimeOffset now)
    {
        foreach (var slot in _slots.Values)
        {
            if (slot.Phase != SlotPhase.Ready || slot.UnloadRequested || slot.RestartForContext) continue;
            if (slot.DrainingFor is { } waiter && HasWaitedLongEnough(_slots[waiter], now)) continue;
            while (slot.Queue.First is { } head)
            {
                if (head.Value.Request.RequiredContextLength > slot.ContextLength)
                {
                    slot.RestartForContext = true;   // FIFO: later requests do not overtake it
                    break;
                }
                slot.Queue.RemoveFirst();
                _queuedIn.Remove(head.Value.Id);
                Grant(slot, head.Value, now);
            }
        }
    }

    private bool HasWaitedLongEnough(ModelSlot waiter, DateTimeOffset now) =>
        waiter.Queue.First is { } head && now - head.Value.EnqueuedAt >= policy.MaxWaitBeforeSwap;

    private void AdmitWaitingModels(DateTimeOffset now)
    {
        var waiting = _slots.Values
            .Where(s => s.Phase == SlotPhase.Unloaded && s.Queue.Count > 0)
            .OrderBy(s => s.Queue.First!.Value.EnqueuedAt)
            .ToList();
        foreach (var slot in waiting)
        {
            var context = LoadContext(slot);
            var need = MemoryEstimate.For(slot.Model, context);
            if (need > policy.MemoryBudgetBytes)
            {
                RejectQueue(slot, NeverFits(slot.Id, need));
                continue;
            }
            if (Fits(need))
            {
                slot.Phase = SlotPhase.Loading;
                slot.ContextLength = context;
                slot.EstimateBytes = need;
                _actions.Add(new SchedulerAction.Load(slot.Id, context));
                continue;
            }
            if (_slots.Values.Any(s => s.DrainingFor is { } other && !other.Equals(slot.Id, StringComparison.OrdinalIgnoreCase))) continue;   // one swap at a time
            MakeRoom(slot, need, now);
        }
    }

    private bool Fits(long need)
    {
        var occupying = _slots.Values.Where(s => s.Occupies).ToList();
        return occupying.Count < policy.MaxRunners && occupying.Sum(s => s.EstimateBytes) + need <= policy.MemoryBudgetBytes;
    }

    /// <summary>Chooses victims until <paramref name="waiter"/> would fit once they are gone: idle ones unload now, busy ones drain.</summary>
    private void MakeRoom(ModelSlot waiter, long need, DateTimeOffset now)
    {
        var freeing = _slots.Values.Where(s => s.Phase == SlotPhase.Unloading || (s.Phase == SlotPhase.Ready && s.DrainingFor == waiter.Id)).ToList();
        var staying = _slots.Values.Where(s => s.Occupies).Except(freeing).ToList();
        var candidates = staying
            .Where(s => s.Phase == SlotPhase.Ready && s != waiter)
            .OrderBy(s => s.IsIdle ? 0 : 1)
            .ThenBy(s => s.LastUsed)
            .ToList();
        var victims = new List<ModelSlot>();
        bool Enough() => staying.Count + 1 <= policy.MaxRunners && staying.Sum(s => s.EstimateBytes) + need <= policy.MemoryBudgetBytes;
        foreach (var candidate in candidates)
        {
            if (Enough()) break;
            victims.Add(candidate);
            staying.Remove(candidate);
        }
        if (!Enough()) return;   // the rest are loading; look again when they are ready
        foreach (var victim in victims)
        {
            if (victim.Leases.Count == 0 && !victim.RestartForContext) Unload(victim, $"making room for {waiter.Id}");
            else
            {
                victim.DrainingFor = waiter.Id;
                victim.DrainingSince = now;
            }
        }
    }

    private void UnloadDrainedModels()
    {
        foreach (var slot in _slots.Values)
        {
            if (slot.Phase != SlotPhase.Ready || slot.Leases.Count > 0) continue;
            if (slot.UnloadRequested) Unload(slot, "unload requested");
            else if (slot.RestartForContext) Unload(slot, "restarting with a larger context");
            else if (slot.DrainingFor is { } waiter) Unload(slot, $"making room for {waiter}");
        }
    }

    private void UnloadExpiredModels(DateTimeOffset now)
    {
        foreach (var slot in _slots.Values)
            if (slot.ExpiresAt <= now) Unload(slot, slot.KeepAlive == TimeSpan.Zero ? "keep-alive 0" : "idle");
    }

    private void Unload(ModelSlot slot, string reason)
    {
        slot.Phase = SlotPhase.Unloading;
        slot.DrainingFor = null;
        _actions.Add(new SchedulerAction.Unload(slot.Id, reason));
    }

    private static bool MarkForUnload(ModelSlot slot)
    {
        if (slot.Phase is SlotPhase.Loading or SlotPhase.Ready) slot.UnloadRequested = true;
        return true;
    }

    private void Grant(ModelSlot slot, QueuedRequest request, DateTimeOffset now)
    {
        var lease = new ActiveLease(Guid.NewGuid(), request.Id, request.Request.KeepAlive, now + policy.LeaseTimeout);
        slot.Leases.Add(lease.Id, lease);
        _leasedFrom[lease.Id] = slot;
        slot.LastUsed = now;
        _actions.Add(new SchedulerAction.Grant(request.Id, new LeaseGrant(lease.Id, slot.Id, slot.Endpoint!, slot.ContextLength, lease.RenewBy)));
    }

    private void EndLease(ModelSlot slot, Guid leaseId)
    {
        if (!slot.Leases.Remove(leaseId, out var lease)) return;
        slot.LastUsed = time.GetUtcNow();
        slot.KeepAlive = lease.KeepAlive;   // the last request's keep-alive decides, as in Ollama
    }

    private static void BecomeUnloaded(ModelSlot slot)
    {
        slot.Phase = SlotPhase.Unloaded;
        slot.ContextLength = 0;
        slot.EstimateBytes = 0;
        slot.Endpoint = null;
        slot.DrainingFor = null;
        slot.RestartForContext = false;
        slot.UnloadRequested = false;
    }

    private static int LoadContext(ModelSlot slot) =>
        slot.Queue.Max(q => Math.Max(q.Request.DefaultContextLength, q.Request.RequiredContextLength ?? 0));

    private SchedulerError NeverFits(string modelId, long need) => new(SchedulerErrorKind.NeverFits,
        $"'{modelId}' needs about {Gib(need)} (weights plus KV cache) but the memory budget is {Gib(policy.MemoryBudgetBytes)}; " +
        "use a smaller context or quantization, or raise the budget");

    private static string Gib(long bytes) => $"{bytes / (1024.0 * 1024 * 1024):0.0#} GiB";

    private void RejectQueue(ModelSlot slot, SchedulerError error)
    {
        while (slot.Queue.First is { } head)
        {
            slot.Queue.RemoveFirst();
            _queuedIn.Remove(head.Value.Id);
            _actions.Add(new SchedulerAction.Reject(head.Value.Id, error));
        }
    }

    private SchedulerAction[] RejectOne(long requestId, SchedulerError error)
    {
        _actions.Add(new SchedulerAction.Reject(requestId, error));
        return TakeActions();
    }

    private SchedulerAction[] TakeActions()
    {
        var actions = _actions.ToArray();
        _actions.Clear();
        return actions;
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;
}

public sealed record SlotSnapshot(
    string ModelId,
    SlotPhase Phase,
    int ContextLength,
    long EstimateBytes,
    int InFlight,
    int Queued,
    DateTimeOffset LastUsed,
    DateTimeOffset? ExpiresAt,
    TimeSpan KeepAlive,
    string? DrainingFor,
    bool RestartingForContext,
    bool UnloadRequested);
