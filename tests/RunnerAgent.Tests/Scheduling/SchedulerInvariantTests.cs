using LlamaAspire.RunnerAgent.Scheduling;
using static LlamaAspire.RunnerAgent.Tests.Scheduling.SchedulerHarness;

namespace LlamaAspire.RunnerAgent.Tests.Scheduling;

/// <summary>
/// Seeded random event sequences against the core, checking what must hold after every step: never more processes
/// than MaxRunners or the budget allows, never an unload of a model with leases, never two loads of one model, and
/// every request answered at most once and none lost.
/// </summary>
public sealed class SchedulerInvariantTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 2)]
    [InlineData(4, 3)]
    public void RandomEvents_Always_KeepTheInvariants(int seed, int maxRunners)
    {
#pragma warning disable CA5394 // A seeded sequence, not security.
        var random = new Random(seed);
        var s = new SchedulerHarness(maxRunners: maxRunners, budgetMiB: 1000, maxQueue: 8, swapTimeout: TimeSpan.FromSeconds(40), maxWait: TimeSpan.FromSeconds(5));
        string[] models = ["a", "b", "c", "d"];
        var sizes = new Dictionary<string, long> { ["a"] = 200, ["b"] = 300, ["c"] = 400, ["d"] = 1200 };   // d never fits
        var loading = new HashSet<string>();
        var unloading = new HashSet<string>();
        var leases = new List<LeaseGrant>();
        var queued = new HashSet<long>();
        var answered = new HashSet<long>();

        for (var step = 0; step < 3000; step++)
        {
            var before = s.Log.Count;
            switch (random.Next(8))
            {
                case 0 or 1:
                    var model = models[random.Next(models.Length)];
                    int? context = random.Next(4) == 0 ? 8192 : null;
                    queued.Add(s.Request(Model(model, sizes[model]), context, TimeSpan.FromSeconds(random.Next(-1, 20))));
                    break;
                case 2 when loading.Count > 0:
                    var loaded = loading.ElementAt(random.Next(loading.Count));
                    if (random.Next(5) == 0) s.Record(s.Core.LoadFailed(loaded, "boom"));
                    else s.Loaded(loaded);
                    loading.Remove(loaded);
                    break;
                case 3 when unloading.Count > 0:
                    var gone = unloading.ElementAt(random.Next(unloading.Count));
                    s.Unloaded(gone);
                    unloading.Remove(gone);
                    break;
                case 4 when leases.Count > 0:
                    var lease = leases[random.Next(leases.Count)];
                    s.Release(lease);
                    leases.Remove(lease);
                    break;
                case 5 when queued.Count > 0:
                    var cancelled = queued.ElementAt(random.Next(queued.Count));
                    s.Record(s.Core.Cancel(cancelled));
                    queued.Remove(cancelled);
                    break;
                case 6:
                    s.Advance(TimeSpan.FromSeconds(random.Next(1, 10)));
                    foreach (var lease2 in leases.ToList()) if (s.Core.Renew(lease2.LeaseId) is null) leases.Remove(lease2);
                    break;
                default:
                    s.Time.Advance(TimeSpan.FromMilliseconds(random.Next(1000)));
                    break;
            }
#pragma warning restore CA5394

            foreach (var action in s.Log.Skip(before))
            {
                switch (action)
                {
                    case SchedulerAction.Load load:
                        Assert.True(loading.Add(load.ModelId), $"step {step}: a second load of {load.ModelId}");
                        Assert.DoesNotContain(load.ModelId, unloading);
                        break;
                    case SchedulerAction.Unload unload:
                        Assert.Equal(0, s.Slot(unload.ModelId).InFlight);
                        Assert.True(unloading.Add(unload.ModelId), $"step {step}: a second unload of {unload.ModelId}");
                        break;
                    case SchedulerAction.Grant grant:
                        Assert.True(answered.Add(grant.RequestId), $"step {step}: request {grant.RequestId} answered twice");
                        queued.Remove(grant.RequestId);
                        leases.Add(grant.Lease);
                        break;
                    case SchedulerAction.Reject reject:
                        Assert.True(answered.Add(reject.RequestId), $"step {step}: request {reject.RequestId} answered twice");
                        queued.Remove(reject.RequestId);
                        break;
                }
            }
            Assert.Equal(queued.Count, s.Core.Snapshot().Sum(slot => slot.Queued));   // nothing lost, nothing answered twice
            var occupying = s.Core.Snapshot().Where(slot => slot.Phase != SlotPhase.Unloaded).ToList();
            Assert.True(occupying.Count <= maxRunners, $"step {step}: {occupying.Count} processes");
            Assert.True(occupying.Sum(slot => slot.EstimateBytes) <= s.Policy.MemoryBudgetBytes, $"step {step}: over the budget");
        }
        Assert.True(answered.Count > 100, "the sequence exercised the scheduler");
    }
}
