using System.Net.Http.Json;
using System.Text.Json;
using LlamaAspire.RunnerAgent.Tests.Support;
using LlamaAspire.TestSupport;
using LlamaAspire.TestSupport.Processes;

namespace LlamaAspire.RunnerAgent.Tests.Api;

/// <summary>GET /runners/events over real Kestrel, with the real llama-server on tiny models.</summary>
public sealed class RunnerStatusEventsApiTests(ITestOutputHelper output)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunnerEvents_LoadThenUnload_StreamsSnapshotThenEachStateInOrder()
    {
        using var dir = new TempDirectory("status-events-cycle");
        await using (var harness = await RegistryHarness.StartAsync(output, 1, Models.Chat(dir, "tiny-a")))
        await using (var host = await AgentHost.StartAsync(harness, Ct))
        {
            using var response = await host.Http.GetAsync(new Uri("/runners/events", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, Ct);
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
            using var events = new SseReader(await response.Content.ReadAsStreamAsync(Ct));

            var snapshot = await events.NextAsync(Ct);
            Assert.Equal("snapshot", snapshot?.Name);
            Assert.Equal("[]", snapshot!.Data);

            using (var load = await host.Http.PostAsync(new Uri("/runners/tiny-a/load", UriKind.Relative), null, Ct)) load.EnsureSuccessStatusCode();
            using (var unload = await host.Http.PostAsync(new Uri("/runners/tiny-a/unload", UriKind.Relative), null, Ct)) unload.EnsureSuccessStatusCode();

            var seen = new List<JsonElement>();
            while (seen.Count == 0 || seen[^1].GetProperty("state").GetString() != "unloaded")
            {
                var next = await events.NextAsync(Ct);
                Assert.NotNull(next);
                Assert.Equal("runner", next.Name);
                seen.Add(JsonDocument.Parse(next.Data).RootElement.Clone());
            }
            Assert.All(seen, e => Assert.Equal("tiny-a", e.GetProperty("model").GetString()));
            Assert.Equal(["loading", "ready", "unloading", "unloaded"], seen.Select(e => e.GetProperty("state").GetString()!).Where(s => s != "queued"));
            var ready = seen.Single(e => e.GetProperty("state").GetString() == "ready");
            Assert.StartsWith("http://127.0.0.1:", ready.GetProperty("endpoint").GetString(), StringComparison.Ordinal);
            var args = ready.GetProperty("args").EnumerateArray().Select(a => a.GetString()).ToList();
            Assert.Equal(harness.Binary, args[0]);
            Assert.Equal("tiny-a", args[args.IndexOf("--alias") + 1]);
            Assert.Equal(ready.GetProperty("port").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture), args[args.IndexOf("--port") + 1]);
        }

        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task RunnerEvents_SubscribedWhileLoaded_SnapshotListsTheRunner()
    {
        using var dir = new TempDirectory("status-events-snapshot");
        await using (var harness = await RegistryHarness.StartAsync(output, 1, Models.Chat(dir, "tiny-a")))
        await using (var host = await AgentHost.StartAsync(harness, Ct))
        {
            await harness.StartReadyAsync("tiny-a", Ct);
            using var response = await host.Http.GetAsync(new Uri("/runners/events", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, Ct);
            using var events = new SseReader(await response.Content.ReadAsStreamAsync(Ct));

            var snapshot = await events.NextAsync(Ct);

            Assert.Equal("snapshot", snapshot?.Name);
            var runner = Assert.Single(JsonDocument.Parse(snapshot!.Data).RootElement.EnumerateArray());
            Assert.Equal(("tiny-a", "ready"), (runner.GetProperty("model").GetString(), runner.GetProperty("state").GetString()));
        }

        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task RunnerEvents_ClientGoesAway_UnsubscribesAndKeepsServing()
    {
        using var dir = new TempDirectory("status-events-disconnect");
        await using (var harness = await RegistryHarness.StartAsync(output, 1, Models.Chat(dir, "tiny-a")))
        await using (var host = await AgentHost.StartAsync(harness, Ct))
        {
            using (var response = await host.Http.GetAsync(new Uri("/runners/events", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, Ct))
            {
                using var events = new SseReader(await response.Content.ReadAsStreamAsync(Ct));
                Assert.Equal("snapshot", (await events.NextAsync(Ct))?.Name);
                Assert.Equal(1, harness.Registry.StatusFeed.SubscriberCount);
            }

            Assert.True(await Wait.UntilAsync(() => harness.Registry.StatusFeed.SubscriberCount == 0, TimeSpan.FromSeconds(10)));
            using var load = await host.Http.PostAsJsonAsync(new Uri("/runners", UriKind.Relative), new { model = "tiny-a" }, Ct);
            load.EnsureSuccessStatusCode();
        }

        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task RunnerEvents_HostStops_StreamEnds()
    {
        using var dir = new TempDirectory("status-events-host-stop");
        await using var harness = await RegistryHarness.StartAsync(output, 1, Models.Chat(dir, "tiny-a"));
        var host = await AgentHost.StartAsync(harness, Ct);
        using var response = await host.Http.GetAsync(new Uri("/runners/events", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, Ct);
        using var events = new SseReader(await response.Content.ReadAsStreamAsync(Ct));
        Assert.Equal("snapshot", (await events.NextAsync(Ct))?.Name);

        await host.DisposeAsync();

        Assert.Null(await events.NextAsync(Ct));
        Assert.Equal(0, harness.Registry.StatusFeed.SubscriberCount);
    }
}
