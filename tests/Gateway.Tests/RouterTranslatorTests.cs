using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlamaAspire.Gateway.OpenAi;
using LlamaAspire.Gateway.Upstream;

namespace LlamaAspire.Gateway.Tests;

/// <summary>
/// The router translators, pure: catalog and runners into llama.cpp's GET /models, and runner events into its
/// /models/sse events. Fixtures in RouterGolden, read from the source tree.
/// </summary>
public sealed class RouterTranslatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 1, 2, 3, TimeSpan.Zero);

    [Theory]
    [InlineData(null, "unloaded")]
    [InlineData("queued", "loading")]
    [InlineData("loading", "loading")]
    [InlineData("ready", "loaded")]
    [InlineData("unloading", "loaded")]
    [InlineData("something-new", "unloaded")]
    public void StatusOf_RunnerState_IsTheRoutersStatus(string? state, string expected) =>
        Assert.Equal(expected, RouterModels.StatusOf(state));

    [Fact]
    public void List_CatalogAndRunners_MatchesGolden()
    {
        CatalogModel[] catalog =
        [
            new("tiny-chat", 1000, Now), new("org/tiny-embed", 2000, Now), new("queued-one", 3000, Now), new("idle", 4000, Now),
        ];
        RunnerStatus[] runners =
        [
            new("TINY-CHAT", "ready", 2048, null, 1, 1, ["/bin/llama-server", "--port", "40001", "--alias", "tiny-chat"]),
            new("org/tiny-embed", "unloading", 512, null, 1, 1, ["/bin/llama-server", "--embeddings"]),
            new("queued-one", "queued", 512, null, 1, null),
            new("not-in-catalog", "ready", 512, null, 1, 1, ["/bin/llama-server"]),
        ];

        var list = RouterModels.List(catalog, runners, Now);

        AssertGolden("models.json", JsonSerializer.Serialize(list));
    }

    [Fact]
    public void Apply_LoadThenUnload_EmitsOneEventPerStatusChange()
    {
        var tracker = new RouterStatusTracker();
        List<RouterEvent> events = [];

        events.AddRange(tracker.Apply(Snapshot(Runner("warm", "ready"))));
        foreach (var state in new[] { "queued", "loading", "ready", "unloading", "unloaded" }) events.AddRange(tracker.Apply(Change(Runner("m", state))));

        AssertGolden("sse-cycle.jsonl", string.Join('\n', events.Select(e => JsonSerializer.Serialize(e))));
    }

    [Fact]
    public void Apply_ResyncSnapshot_EmitsOnlyTheDifferences()
    {
        var tracker = new RouterStatusTracker();
        Assert.Empty(tracker.Apply(Snapshot(Runner("a", "ready"), Runner("b", "loading"), Runner("c", "ready"))));

        var events = tracker.Apply(Snapshot(Runner("b", "ready"), Runner("c", "unloading"), Runner("d", "queued")));

        Assert.Equal(
            [("a", "unloaded"), ("b", "loaded"), ("d", "loading")],
            events.Select(e => (e.Model, e.Data.Status)).OrderBy(e => e.Model, StringComparer.Ordinal));
        Assert.All(events, e => Assert.Equal("model_status", e.Event));
    }

    [Fact]
    public async Task ReadAllAsync_AgentStream_ParsesSnapshotAndRunnerEventsAndSkipsUnknownBrokenAndUnfinished()
    {
        var text = """
            event: snapshot
            data: [{"model":"a","state":"ready","contextLength":512,"memoryEstimateBytes":1,"args":["/bin/llama-server","-m","a.gguf"]}]

            event: future-kind
            data: {}

            event: runner
            data: {"model":

            event: runner
            data: {"model":"a","state":"unloading","contextLength":512,"memoryEstimateBytes":1}

            event: runner
            data: {"model":"cut","state":"ready"
            """.ReplaceLineEndings("\n");
        using var subscription = new RunnerStatusSubscription(new HttpResponseMessage(), new MemoryStream(Encoding.UTF8.GetBytes(text)));

        List<RunnerStatusEvent> events = [];
        await foreach (var e in subscription.ReadAllAsync(TestContext.Current.CancellationToken)) events.Add(e);

        Assert.Equal(2, events.Count);
        Assert.True(events[0].IsSnapshot);
        Assert.Equal(["/bin/llama-server", "-m", "a.gguf"], Assert.Single(events[0].Runners).Args!);
        Assert.False(events[1].IsSnapshot);
        Assert.Equal(("a", "unloading"), (events[1].Runners[0].Model, events[1].Runners[0].State));
    }

    private static RunnerStatus Runner(string model, string state) => new(model, state, 512, null, 1, null);

    private static RunnerStatusEvent Snapshot(params RunnerStatus[] runners) => new(true, runners);

    private static RunnerStatusEvent Change(RunnerStatus runner) => new(false, [runner]);

    /// <summary>Compares JSON (or JSON lines) by value; with ROUTER_GOLDEN_UPDATE=1 a mismatch rewrites the fixture instead.</summary>
    private static void AssertGolden(string name, string actual, [CallerFilePath] string caller = "")
    {
        var path = Path.Combine(Path.GetDirectoryName(caller)!, "RouterGolden", name);
        var actualLines = actual.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)).ToList();
        if (File.Exists(path))
        {
            var text = File.ReadAllText(path);
            List<JsonNode?> expected = name.EndsWith(".jsonl", StringComparison.Ordinal)
                ? [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l))]
                : [JsonNode.Parse(text)];
            if (expected.Count == actualLines.Count && expected.Zip(actualLines).All(p => JsonNode.DeepEquals(p.First, p.Second))) return;
        }
        var pretty = name.EndsWith(".jsonl", StringComparison.Ordinal)
            ? string.Join('\n', actualLines.Select(l => l!.ToJsonString())) + "\n"
            : actualLines.Single()!.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
        if (Environment.GetEnvironmentVariable("ROUTER_GOLDEN_UPDATE") == "1")
        {
            File.WriteAllText(path, pretty);
            return;
        }
        Assert.Fail($"{name} differs; actual:\n{pretty}");
    }
}
