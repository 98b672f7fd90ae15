using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using LlamaAspire.RunnerAgent.Tests.Support;
using LlamaAspire.TestSupport;
using LlamaAspire.TestSupport.Processes;

namespace LlamaAspire.RunnerAgent.Tests.Api;

/// <summary>GET /runners/{model}/logs over real Kestrel, with the real llama-server on tiny models.</summary>
public sealed partial class LogsApiTests(ITestOutputHelper output)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Logs_AfterStart_DownloadsTimestampedLines()
    {
        using var dir = new TempDirectory("logs-download");
        await using (var harness = await RegistryHarness.StartAsync(output, 1, Models.Chat(dir, "tiny-a")))
        await using (var host = await AgentHost.StartAsync(harness, Ct))
        {
            await StartAsync(host, "tiny-a");

            using var response = await host.Http.GetAsync(new Uri("/runners/tiny-a/logs", UriKind.Relative), Ct);
            var lines = (await response.Content.ReadAsStringAsync(Ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(("attachment", "tiny-a.log"), (response.Content.Headers.ContentDisposition?.DispositionType, response.Content.Headers.ContentDisposition?.FileName));
            Assert.All(lines, line => Assert.Matches(TimestampedLine(), line));
            Assert.Single(lines, line => line.Contains("listening", StringComparison.Ordinal));
        }

        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task Logs_ModelRestarted_KeepsLinesOfEveryRun()
    {
        using var dir = new TempDirectory("logs-restart");
        await using (var harness = await RegistryHarness.StartAsync(output, 1, Models.Chat(dir, "org/tiny-a")))
        await using (var host = await AgentHost.StartAsync(harness, Ct))
        {
            await StartAsync(host, "org/tiny-a");
            using (var stop = await host.Http.DeleteAsync(new Uri("/runners/org/tiny-a", UriKind.Relative), Ct))
                Assert.Equal(HttpStatusCode.NoContent, stop.StatusCode);
            await StartAsync(host, "org/tiny-a");

            var text = await host.Http.GetStringAsync(new Uri("/runners/org/tiny-a/logs", UriKind.Relative), Ct);

            Assert.Equal(2, text.Split('\n').Count(line => line.Contains("listening", StringComparison.Ordinal)));
        }

        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task Logs_Follow_StreamsBufferedLinesThenLiveOnes()
    {
        using var dir = new TempDirectory("logs-follow");
        await using (var harness = await RegistryHarness.StartAsync(output, 1, Models.Chat(dir, "tiny-a")))
        await using (var host = await AgentHost.StartAsync(harness, Ct))
        {
            await StartAsync(host, "tiny-a");
            var bufferedCount = harness.Registry.FindLog("tiny-a")!.Lines.Count;
            using var response = await host.Http.GetAsync(new Uri("/runners/tiny-a/logs?follow=true", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, Ct);
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
            using var events = new SseReader(await response.Content.ReadAsStreamAsync(Ct));

            var buffered = new List<string>();
            for (var i = 0; i < bufferedCount; i++) buffered.Add(Text(await events.NextAsync(Ct)));
            await harness.Registry.StopAsync("tiny-a");
            await StartAsync(host, "tiny-a");
            string live;
            do live = Text(await events.NextAsync(Ct));
            while (!live.Contains("listening", StringComparison.Ordinal));

            Assert.Single(buffered, line => line.Contains("listening", StringComparison.Ordinal));
        }

        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task Logs_FollowerGoesAway_Unfollows()
    {
        using var dir = new TempDirectory("logs-unfollow");
        await using (var harness = await RegistryHarness.StartAsync(output, 1, Models.Chat(dir, "tiny-a")))
        await using (var host = await AgentHost.StartAsync(harness, Ct))
        {
            await StartAsync(host, "tiny-a");
            var log = harness.Registry.FindLog("tiny-a")!;
            using (var response = await host.Http.GetAsync(new Uri("/runners/tiny-a/logs?follow=true", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, Ct))
                Assert.Equal(1, log.FollowerCount);

            Assert.True(await Wait.UntilAsync(() => log.FollowerCount == 0, TimeSpan.FromSeconds(10)));
        }

        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Theory]
    [InlineData("/runners/never-ran/logs")]
    [InlineData("/runners/tiny-a/nonsense")]
    public async Task Logs_UnknownModelOrResource_Returns404WithError(string path)
    {
        using var dir = new TempDirectory("logs-unknown");
        await using var harness = await RegistryHarness.StartAsync(output, 1, Models.Chat(dir, "tiny-a"));
        await using var host = await AgentHost.StartAsync(harness, Ct);

        using var response = await host.Http.GetAsync(new Uri(path, UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.False(string.IsNullOrEmpty(await response.ErrorAsync(Ct)));
    }

    private static async Task StartAsync(AgentHost host, string model)
    {
        using var response = await host.Http.PostAsJsonAsync(new Uri("/runners", UriKind.Relative), new { model }, Ct);
        response.EnsureSuccessStatusCode();
    }

    private static string Text(SseEvent? sse)
    {
        Assert.NotNull(sse);
        Assert.Equal("log", sse.Name);
        using var json = JsonDocument.Parse(sse.Data);
        Assert.True(json.RootElement.TryGetProperty("at", out _));
        return json.RootElement.GetProperty("text").GetString()!;
    }

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z ")]
    private static partial Regex TimestampedLine();
}
