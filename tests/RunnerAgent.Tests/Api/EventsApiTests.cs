using System.Net.Http.Json;
using System.Text.Json;
using LlamaAspire.RunnerAgent.Tests.Support;
using LlamaAspire.TestSupport;
using LlamaAspire.TestSupport.Processes;

namespace LlamaAspire.RunnerAgent.Tests.Api;

/// <summary>GET /events over real Kestrel, with the real llama-server on tiny models.</summary>
public sealed class EventsApiTests(ITestOutputHelper output)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Events_RunnerStarts_StreamsStartingThenReady()
    {
        using var dir = new TempDirectory("events-start");
        await using (var harness = await RegistryHarness.StartAsync(output, 1, Models.Chat(dir, "tiny-a")))
        await using (var host = await AgentHost.StartAsync(harness, Ct))
        {
            using var response = await host.Http.GetAsync(new Uri("/events", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, Ct);
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
            using var events = new SseReader(await response.Content.ReadAsStreamAsync(Ct));

            using var start = await host.Http.PostAsJsonAsync(new Uri("/runners", UriKind.Relative), new { model = "tiny-a" }, Ct);
            start.EnsureSuccessStatusCode();

            var starting = Parse(await events.NextAsync(Ct));
            var ready = Parse(await events.NextAsync(Ct));
            Assert.Equal(("runner", "tiny-a", "stopped", "starting"), starting);
            Assert.Equal(("runner", "tiny-a", "starting", "ready"), ready);
        }

        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task Events_ClientGoesAway_UnsubscribesAndKeepsServing()
    {
        using var dir = new TempDirectory("events-disconnect");
        await using var harness = await RegistryHarness.StartAsync(output, 1, Models.Chat(dir, "tiny-a"));
        await using var host = await AgentHost.StartAsync(harness, Ct);

        using (var response = await host.Http.GetAsync(new Uri("/events", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, Ct))
        {
            response.EnsureSuccessStatusCode();
            Assert.Equal(1, harness.Registry.Events.SubscriberCount);
        }

        Assert.True(await Wait.UntilAsync(() => harness.Registry.Events.SubscriberCount == 0, TimeSpan.FromSeconds(10)));
        using var list = await host.Http.GetAsync(new Uri("/runners", UriKind.Relative), Ct);
        list.EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Events_HostStops_StreamEnds()
    {
        using var dir = new TempDirectory("events-host-stop");
        await using var harness = await RegistryHarness.StartAsync(output, 1, Models.Chat(dir, "tiny-a"));
        var host = await AgentHost.StartAsync(harness, Ct);
        using var response = await host.Http.GetAsync(new Uri("/events", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, Ct);
        using var events = new SseReader(await response.Content.ReadAsStreamAsync(Ct));

        await host.DisposeAsync();

        Assert.Null(await events.NextAsync(Ct));
        Assert.Equal(0, harness.Registry.Events.SubscriberCount);
    }

    private static (string? Name, string Model, string From, string To) Parse(SseEvent? sse)
    {
        Assert.NotNull(sse);
        using var json = JsonDocument.Parse(sse.Data);
        var root = json.RootElement;
        return (sse.Name, root.GetProperty("modelId").GetString()!, root.GetProperty("from").GetString()!, root.GetProperty("to").GetString()!);
    }
}
