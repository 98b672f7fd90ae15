using LlamaAspire.RunnerAgent.Metadata;
using LlamaAspire.RunnerAgent.Scheduling;
using LlamaAspire.TestSupport.Time;

namespace LlamaAspire.RunnerAgent.Tests.Scheduling;

/// <summary>A <see cref="SchedulerCore"/> on a manual clock, with shorthand for its events and for reading its actions.</summary>
internal sealed class SchedulerHarness
{
    public const long MiB = 1024 * 1024;
    private long _nextRequest;

    public SchedulerHarness(int maxRunners = 1, long budgetMiB = 100_000, int maxQueue = 512, TimeSpan? swapTimeout = null, TimeSpan? maxWait = null)
    {
        Policy = new SchedulerPolicy(maxRunners, budgetMiB * MiB, maxQueue, swapTimeout ?? TimeSpan.FromMinutes(5), maxWait ?? TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30));
        Core = new SchedulerCore(Policy, Time);
    }

    public ManualTimeProvider Time { get; } = new();

    public SchedulerPolicy Policy { get; }

    public SchedulerCore Core { get; }

    /// <summary>Every action so far, in order.</summary>
    public List<SchedulerAction> Log { get; } = [];

    public static ModelInfo Model(string id, long sizeMiB = 100) => new(id, $"/models/{id}.gguf", sizeMiB * MiB);

    /// <summary>A model whose KV cache is 2 · 4 layers · 2 KV heads · 16 dims · ctx · 2 bytes = 512 bytes per token.</summary>
    public static ModelInfo ModelWithShape(string id, long sizeMiB, long trainedContext = 32768) =>
        new(id, $"/models/{id}.gguf", sizeMiB * MiB, new ModelFacts([], trainedContext, BlockCount: 4, EmbeddingLength: 64, HeadCount: 4, HeadCountKv: 2));

    public long Request(ModelInfo model, int? context = null, TimeSpan? keepAlive = null, int defaultContext = 4096)
    {
        var id = ++_nextRequest;
        Record(Core.Enqueue(id, new ModelRequest(model, context, defaultContext, keepAlive ?? TimeSpan.FromMinutes(5))));
        return id;
    }

    public IReadOnlyList<SchedulerAction> Record(IReadOnlyList<SchedulerAction> actions)
    {
        Log.AddRange(actions);
        return actions;
    }

    public void Loaded(string model) => Record(Core.LoadSucceeded(model, new Uri("http://127.0.0.1:1")));

    public void Unloaded(string model) => Record(Core.Unloaded(model));

    public void Release(LeaseGrant lease) => Record(Core.Release(lease.LeaseId, out _));

    public void Advance(TimeSpan by)
    {
        Time.Advance(by);
        Record(Core.Tick());
    }

    public LeaseGrant GrantOf(long request) =>
        Log.OfType<SchedulerAction.Grant>().Single(g => g.RequestId == request).Lease;

    public bool WasGranted(long request) => Log.OfType<SchedulerAction.Grant>().Any(g => g.RequestId == request);

    public SchedulerError RejectionOf(long request) =>
        Log.OfType<SchedulerAction.Reject>().Single(r => r.RequestId == request).Error;

    public IEnumerable<SchedulerAction.Load> Loads => Log.OfType<SchedulerAction.Load>();

    public IEnumerable<SchedulerAction.Unload> Unloads => Log.OfType<SchedulerAction.Unload>();

    public SlotSnapshot Slot(string model) => Core.Snapshot().Single(s => s.ModelId == model);
}
