using LlamaAspire.RunnerAgent.Scheduling;
using static LlamaAspire.RunnerAgent.Tests.Scheduling.SchedulerHarness;

namespace LlamaAspire.RunnerAgent.Tests.Scheduling;

/// <summary>The scheduler's rules as pure logic on a manual clock: queue, join, evict, drain, anti-thrash, memory, keep-alive.</summary>
public sealed class SchedulerCoreTests
{
    private static readonly TimeSpan Minutes5 = TimeSpan.FromMinutes(5);

    [Fact]
    public void Enqueue_ModelUnloaded_LoadsItWithTheDefaultContext()
    {
        var s = new SchedulerHarness();

        var request = s.Request(Model("a"), defaultContext: 2048);

        Assert.Equal(new SchedulerAction.Load("a", 2048), Assert.Single(s.Log));
        Assert.False(s.WasGranted(request));
        Assert.Equal((SlotPhase.Loading, 1), (s.Slot("a").Phase, s.Slot("a").Queued));
    }

    [Fact]
    public void Enqueue_WhileLoading_JoinsTheLoadAndIsGrantedInOrder()
    {
        var s = new SchedulerHarness();
        var first = s.Request(Model("a"));
        var second = s.Request(Model("a"));

        s.Loaded("a");

        Assert.Single(s.Loads);
        Assert.Equal([first, second], s.Log.OfType<SchedulerAction.Grant>().Select(g => g.RequestId));
        Assert.Equal(2, s.Slot("a").InFlight);
    }

    [Fact]
    public void Enqueue_ReadyModel_GrantsAtOnceWithItsEndpointAndContext()
    {
        var s = new SchedulerHarness();
        s.Request(Model("a"), defaultContext: 4096);
        s.Loaded("a");

        var lease = s.GrantOf(s.Request(Model("a")));

        Assert.Equal(("a", new Uri("http://127.0.0.1:1"), 4096), (lease.ModelId, lease.Endpoint, lease.ContextLength));
        Assert.Equal(s.Time.GetUtcNow() + s.Policy.LeaseTimeout, lease.RenewBy);
    }

    [Fact]
    public void Enqueue_AtMaxRunnersWithIdleModels_UnloadsTheLeastRecentlyUsed()
    {
        var s = new SchedulerHarness(maxRunners: 2);
        Serve(s, "a");
        s.Time.Advance(TimeSpan.FromSeconds(1));
        Serve(s, "b");
        s.Time.Advance(TimeSpan.FromSeconds(1));

        var c = s.Request(Model("c"));

        Assert.Equal("a", Assert.Single(s.Unloads).ModelId);
        Assert.Equal(2, s.Loads.Count());   // c waits for a to be gone
        s.Unloaded("a");
        Assert.Equal("c", s.Loads.Last().ModelId);
        s.Loaded("c");
        Assert.True(s.WasGranted(c));
    }

    [Fact]
    public void Enqueue_AtMaxRunnersWithBusyModel_WaitsForItsLeasesBeforeUnloading()
    {
        var s = new SchedulerHarness();
        var inFlight = s.GrantOf(Serve(s, "a", release: false));

        var b = s.Request(Model("b"));

        Assert.Empty(s.Unloads);
        Assert.Equal("b", s.Slot("a").DrainingFor);
        s.Release(inFlight);
        Assert.Equal("a", Assert.Single(s.Unloads).ModelId);
        s.Unloaded("a");
        s.Loaded("b");
        Assert.True(s.WasGranted(b));
    }

    [Fact]
    public void Enqueue_LoadedModelDrainingForAYoungWaiter_StillTakesNewRequests()
    {
        var s = new SchedulerHarness(maxWait: TimeSpan.FromSeconds(30));
        Serve(s, "a", release: false);
        s.Request(Model("b"));
        s.Time.Advance(TimeSpan.FromSeconds(10));

        var more = s.Request(Model("a"));

        Assert.True(s.WasGranted(more));
        Assert.Empty(s.Unloads);
    }

    [Fact]
    public void Enqueue_WaiterWaitedMaxWait_LoadedModelStopsTakingRequestsAndSwaps()
    {
        var s = new SchedulerHarness(maxWait: TimeSpan.FromSeconds(30));
        var first = s.GrantOf(Serve(s, "a", release: false));
        var b = s.Request(Model("b"));
        s.Time.Advance(TimeSpan.FromSeconds(31));

        var late = s.Request(Model("a"));
        Assert.False(s.WasGranted(late));
        s.Release(first);
        s.Unloaded("a");
        s.Loaded("b");

        Assert.True(s.WasGranted(b));
        Assert.Equal(["a", "b"], s.Loads.Select(l => l.ModelId));
        Assert.Equal(1, s.Slot("a").Queued);   // served after b, not lost
    }

    [Fact]
    public void Tick_SwapTimeoutPassed_RejectsTheWaitersAndKeepsTheBusyModel()
    {
        var s = new SchedulerHarness(swapTimeout: TimeSpan.FromMinutes(1));
        Serve(s, "a", release: false);
        var b = s.Request(Model("b"));

        s.Advance(TimeSpan.FromMinutes(1));

        var error = s.RejectionOf(b);
        Assert.Equal(SchedulerErrorKind.SwapTimeout, error.Kind);
        Assert.Contains("'a'", error.Message, StringComparison.Ordinal);
        Assert.Empty(s.Unloads);
        Assert.Null(s.Slot("a").DrainingFor);
        Assert.True(s.WasGranted(s.Request(Model("a"))));
    }

    [Fact]
    public void NextWakeAt_Draining_IsTheSwapTimeout()
    {
        var s = new SchedulerHarness(swapTimeout: TimeSpan.FromMinutes(1));
        Serve(s, "a", release: false);
        s.Request(Model("b"));

        Assert.Equal(s.Time.GetUtcNow() + TimeSpan.FromSeconds(30), s.Core.NextWakeAt());   // the lease's renew-by comes first
    }

    [Fact]
    public void Enqueue_QueueFull_RejectsAsBusy()
    {
        var s = new SchedulerHarness(maxQueue: 2);
        s.Request(Model("a"));
        s.Request(Model("a"));

        var third = s.Request(Model("a"));

        Assert.Equal(SchedulerErrorKind.Busy, s.RejectionOf(third).Kind);
        Assert.Contains("server busy", s.RejectionOf(third).Message, StringComparison.Ordinal);
        Assert.Equal(2, s.Slot("a").Queued);
    }

    [Fact]
    public void Cancel_QueuedRequest_LeavesTheQueueAndEndsTheDrainForIt()
    {
        var s = new SchedulerHarness();
        Serve(s, "a", release: false);
        var b = s.Request(Model("b"));
        Assert.Equal("b", s.Slot("a").DrainingFor);

        s.Record(s.Core.Cancel(b));

        Assert.Equal(0, s.Slot("b").Queued);
        Assert.Null(s.Slot("a").DrainingFor);
        Assert.DoesNotContain(s.Log, a => a is SchedulerAction.Reject or SchedulerAction.Unload);
    }

    [Fact]
    public void Enqueue_ModelLargerThanTheBudget_IsRefusedNamingTheNumbers()
    {
        var s = new SchedulerHarness(budgetMiB: 1024);

        var request = s.Request(Model("huge", sizeMiB: 2048));

        var error = s.RejectionOf(request);
        Assert.Equal(SchedulerErrorKind.NeverFits, error.Kind);
        Assert.Contains("2.0 GiB", error.Message, StringComparison.Ordinal);
        Assert.Contains("1.0 GiB", error.Message, StringComparison.Ordinal);
        Assert.Empty(s.Loads);
    }

    [Fact]
    public void Enqueue_BudgetFullBelowMaxRunners_EvictsToMakeRoom()
    {
        var s = new SchedulerHarness(maxRunners: 4, budgetMiB: 1000);
        Serve(s, "a", sizeMiB: 600);

        s.Request(Model("b", sizeMiB: 600));

        Assert.Equal("a", Assert.Single(s.Unloads).ModelId);
    }

    [Fact]
    public void Enqueue_BudgetHasRoom_LoadsBesideTheOthers()
    {
        var s = new SchedulerHarness(maxRunners: 4, budgetMiB: 1000);
        Serve(s, "a", sizeMiB: 300);

        s.Request(Model("b", sizeMiB: 300));

        Assert.Empty(s.Unloads);
        Assert.Equal(["a", "b"], s.Loads.Select(l => l.ModelId));
    }

    [Fact]
    public void Enqueue_KvCacheMakesItTooBig_CountsTheContext()
    {
        var s = new SchedulerHarness(budgetMiB: 110);

        var small = s.Request(ModelWithShape("a", sizeMiB: 100), defaultContext: 4096);       // + 2 MiB of KV
        var large = s.Request(ModelWithShape("b", sizeMiB: 100), defaultContext: 32768);      // + 16 MiB of KV

        Assert.DoesNotContain(s.Log.OfType<SchedulerAction.Reject>(), r => r.RequestId == small);
        Assert.Equal(SchedulerErrorKind.NeverFits, s.RejectionOf(large).Kind);
    }

    [Fact]
    public void Release_KeepAliveZero_UnloadsOnceIdle()
    {
        var s = new SchedulerHarness();
        s.Request(Model("a"), keepAlive: TimeSpan.Zero);
        s.Loaded("a");
        var other = s.GrantOf(s.Request(Model("a"), keepAlive: TimeSpan.Zero));
        var first = s.Log.OfType<SchedulerAction.Grant>().First().Lease;

        s.Release(first);
        Assert.Empty(s.Unloads);
        s.Release(other);

        Assert.Equal(new SchedulerAction.Unload("a", "keep-alive 0"), Assert.Single(s.Unloads));
    }

    [Fact]
    public void Tick_IdleLongerThanKeepAlive_Unloads()
    {
        var s = new SchedulerHarness();
        Serve(s, "a", keepAlive: Minutes5);
        Assert.Equal(s.Time.GetUtcNow() + Minutes5, s.Slot("a").ExpiresAt);

        s.Advance(TimeSpan.FromMinutes(4));
        Assert.Empty(s.Unloads);
        s.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(new SchedulerAction.Unload("a", "idle"), Assert.Single(s.Unloads));
    }

    [Fact]
    public void Tick_NegativeKeepAlive_NeverUnloads()
    {
        var s = new SchedulerHarness();
        Serve(s, "a", keepAlive: Timeout.InfiniteTimeSpan);

        s.Advance(TimeSpan.FromDays(30));

        Assert.Empty(s.Unloads);
        Assert.Null(s.Slot("a").ExpiresAt);
        Assert.Null(s.Core.NextWakeAt());
    }

    [Fact]
    public void Release_LastRequestsKeepAlive_Decides()
    {
        var s = new SchedulerHarness();
        Serve(s, "a", keepAlive: TimeSpan.FromHours(1));
        Serve(s, "a", keepAlive: TimeSpan.FromSeconds(10));

        s.Advance(TimeSpan.FromSeconds(10));

        Assert.Single(s.Unloads);
    }

    [Fact]
    public void Enqueue_LargerContextThanLoaded_RestartsOnceInFlightEnds()
    {
        var s = new SchedulerHarness();
        var inFlight = s.GrantOf(Serve(s, "a", release: false));

        var big = s.Request(Model("a"), context: 16384);
        var after = s.Request(Model("a"));

        Assert.False(s.WasGranted(big));
        Assert.False(s.WasGranted(after));   // FIFO: it does not overtake
        s.Release(inFlight);
        Assert.Equal(new SchedulerAction.Unload("a", "restarting with a larger context"), Assert.Single(s.Unloads));
        s.Unloaded("a");
        Assert.Equal(new SchedulerAction.Load("a", 16384), s.Loads.Last());
        s.Loaded("a");
        Assert.True(s.WasGranted(big) && s.WasGranted(after));
    }

    [Fact]
    public void Enqueue_SmallerContextThanLoaded_Reuses()
    {
        var s = new SchedulerHarness();
        Serve(s, "a");

        var request = s.Request(Model("a"), context: 1024);

        Assert.True(s.WasGranted(request));
        Assert.Single(s.Loads);
    }

    [Fact]
    public void Tick_LeaseNotRenewed_IsTakenBackAndCountsNoMore()
    {
        var s = new SchedulerHarness();
        var lease = s.GrantOf(Serve(s, "a", release: false));

        s.Advance(TimeSpan.FromSeconds(20));
        Assert.NotNull(s.Core.Renew(lease.LeaseId));
        s.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(1, s.Slot("a").InFlight);
        s.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(new SchedulerAction.LeaseReclaimed(lease.LeaseId, "a"), s.Log.OfType<SchedulerAction.LeaseReclaimed>().Single());
        Assert.Equal(0, s.Slot("a").InFlight);
        Assert.Null(s.Core.Renew(lease.LeaseId));
        s.Record(s.Core.Release(lease.LeaseId, out var found));
        Assert.False(found);
    }

    [Fact]
    public void LoadFailed_RejectsEveryQueuedRequestWithTheReason()
    {
        var s = new SchedulerHarness();
        var first = s.Request(Model("a"));
        var second = s.Request(Model("a"));

        s.Record(s.Core.LoadFailed("a", "llama-server exited with code 1"));

        Assert.All([first, second], r => Assert.Equal(new SchedulerError(SchedulerErrorKind.LoadFailed, "llama-server exited with code 1"), s.RejectionOf(r)));
        Assert.Equal(SlotPhase.Unloaded, s.Slot("a").Phase);
    }

    [Fact]
    public void Crashed_ReadyModel_NextRequestLoadsItAgain()
    {
        var s = new SchedulerHarness();
        var lease = s.GrantOf(Serve(s, "a", release: false));

        s.Record(s.Core.Crashed("a"));
        var next = s.Request(Model("a"));

        Assert.Equal(2, s.Loads.Count());
        s.Loaded("a");
        Assert.True(s.WasGranted(next));
        s.Release(lease);   // the broken stream's holder lets go later; nothing breaks
        Assert.Equal(1, s.Slot("a").InFlight);
    }

    [Fact]
    public void RequestUnload_BusyModel_UnloadsAfterItsLeasesEnd()
    {
        var s = new SchedulerHarness();
        var lease = s.GrantOf(Serve(s, "a", release: false));

        s.Record(s.Core.RequestUnload("a", out var hasProcess));

        Assert.True(hasProcess);
        Assert.Empty(s.Unloads);
        s.Release(lease);
        Assert.Equal(new SchedulerAction.Unload("a", "unload requested"), Assert.Single(s.Unloads));
    }

    [Fact]
    public void RequestUnload_NothingLoaded_SaysSo()
    {
        var s = new SchedulerHarness();

        s.Record(s.Core.RequestUnload("a", out var hasProcess));

        Assert.False(hasProcess);
    }

    [Fact]
    public void Enqueue_TwoWaitersForOneBusyModel_OneSwapAtATimeOldestFirst()
    {
        var s = new SchedulerHarness();
        var lease = s.GrantOf(Serve(s, "a", release: false));
        var b = s.Request(Model("b"));
        s.Time.Advance(TimeSpan.FromSeconds(1));
        var c = s.Request(Model("c"));

        s.Release(lease);
        s.Unloaded("a");

        Assert.Equal(["a", "b"], s.Loads.Select(l => l.ModelId));
        s.Loaded("b");
        Assert.True(s.WasGranted(b));
        Assert.False(s.WasGranted(c));
        s.Release(s.GrantOf(b));
        s.Unloaded("b");
        s.Loaded("c");
        Assert.True(s.WasGranted(c));
    }

    /// <summary>Loads <paramref name="model"/> and serves one request on it; returns that request.</summary>
    private static long Serve(SchedulerHarness s, string model, bool release = true, long sizeMiB = 100, TimeSpan? keepAlive = null)
    {
        var request = s.Request(Model(model, sizeMiB), keepAlive: keepAlive);
        if (s.Slot(model).Phase == SlotPhase.Loading) s.Loaded(model);
        if (release) s.Release(s.GrantOf(request));
        return request;
    }
}
