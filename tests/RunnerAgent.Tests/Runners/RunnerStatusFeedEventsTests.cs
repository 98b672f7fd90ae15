using LlamaAspire.RunnerAgent.Runners;
using LlamaAspire.RunnerAgent.Tests.Support;
using LlamaAspire.TestSupport;
using LlamaAspire.TestSupport.Processes;

namespace LlamaAspire.RunnerAgent.Tests.Runners;

/// <summary>The scheduler's status feed: order per subscriber, and a slow subscriber told to resync instead of buffering.</summary>
public sealed class RunnerStatusFeedEventsTests(ITestOutputHelper output)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Publish_SubscriberFull_DropsAndFlagsResyncOnce()
    {
        var feed = new RunnerStatusFeed();
        using var slow = feed.Subscribe(capacity: 2);

        foreach (var state in new[] { "queued", "loading", "ready" }) feed.Publish(Info("m", state));

        Assert.True(slow.Overflowed);
        Assert.True(slow.TakeOverflow());
        Assert.False(slow.Reader.TryRead(out _));   // what was queued is superseded by the resync
        Assert.False(slow.TakeOverflow());
        feed.Publish(Info("m", "unloading"));
        Assert.True(slow.Reader.TryRead(out var next));
        Assert.Equal("unloading", next.State);
    }

    [Fact]
    public void Dispose_Subscription_StopsDeliveryAndCompletesReader()
    {
        var feed = new RunnerStatusFeed();
        var subscription = feed.Subscribe();
        Assert.Equal(1, feed.SubscriberCount);

        subscription.Dispose();
        feed.Publish(Info("m", "ready"));

        Assert.Equal(0, feed.SubscriberCount);
        Assert.True(subscription.Reader.Completion.IsCompleted);
    }

    [Fact]
    public async Task StatusFeed_SlowSubscriber_DoesNotHoldUpSchedulerOrOthers()
    {
        using var dir = new TempDirectory("status-feed-slow");
        await using (var harness = await RegistryHarness.StartAsync(output, 1, Models.Chat(dir, "tiny-a")))
        {
            using var slow = harness.Registry.StatusFeed.Subscribe(capacity: 1);
            using var reader = harness.Registry.StatusFeed.Subscribe();

            await harness.StartReadyAsync("tiny-a", Ct);
            Assert.True(await harness.Registry.StopAsync("tiny-a"));

            var states = new List<string>();
            while (states.Count == 0 || states[^1] != "unloaded") states.Add((await reader.Reader.ReadAsync(Ct)).State);
            Assert.Equal(["loading", "ready", "unloading", "unloaded"], states.Where(s => s != "queued"));
            Assert.True(slow.TakeOverflow());
            Assert.Empty(await harness.Registry.ListAsync(Ct));
        }

        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    private static RunnerInfo Info(string model, string state) =>
        new(model, state, null, null, null, 512, 1, null, DateTimeOffset.UnixEpoch, null, 0, 0, 0, null, "default", "", null, null);
}
