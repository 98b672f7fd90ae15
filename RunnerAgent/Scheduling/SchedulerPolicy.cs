namespace LlamaAspire.RunnerAgent.Scheduling;

/// <summary>The limits the scheduler works within; from <see cref="RunnerOptions"/> and the resolved memory budget.</summary>
/// <param name="MaxRunners">Models loaded at once.</param>
/// <param name="MemoryBudgetBytes">What the loaded models' estimates may add up to.</param>
/// <param name="MaxQueuePerModel">Requests waiting for one model before new ones get "server busy".</param>
/// <param name="SwapTimeout">How long requests wait for a busy model to finish before it can be swapped out.</param>
/// <param name="MaxWaitBeforeSwap">How long a loaded model keeps taking new requests while another model waits for its place.</param>
/// <param name="LeaseTimeout">A lease not renewed or released within this is taken back: its holder is gone.</param>
public sealed record SchedulerPolicy(
    int MaxRunners,
    long MemoryBudgetBytes,
    int MaxQueuePerModel,
    TimeSpan SwapTimeout,
    TimeSpan MaxWaitBeforeSwap,
    TimeSpan LeaseTimeout);

/// <summary>
/// One request for a model, resolved by the caller: the context it needs (null: whatever is loaded), the context to load
/// with when it must load (the model's default, at least the need), and the keep-alive that applies after it.
/// </summary>
public sealed record ModelRequest(
    Metadata.ModelInfo Model,
    int? RequiredContextLength,
    int DefaultContextLength,
    TimeSpan KeepAlive);
