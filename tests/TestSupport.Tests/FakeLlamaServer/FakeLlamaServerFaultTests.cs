using System.Diagnostics;
using System.Net;
using LlamaAspire.TestSupport.Network;
using LlamaAspire.TestSupport.Processes;
using static LlamaAspire.TestSupport.Tests.FakeLlamaServer.FakeServer;

namespace LlamaAspire.TestSupport.Tests.FakeLlamaServer;

/// <summary>Each FAKE_LLAMA_* fault actually happens.</summary>
public sealed class FakeLlamaServerFaultTests
{
    private const int SigKillExitCode = 128 + 9;

    [Fact]
    public async Task Health_LoadDelay_Answers503LoadingOnEveryRoute()
    {
        using var dir = new TempDirectory("fake-loading");
        await using (var server = await StartAsync(dir, new() { ["FAKE_LLAMA_LOAD_DELAY_MS"] = "600000" }, port: FreePort.Next()))
        {
            using var health = await GetWhenListeningAsync(new Uri(server.BaseAddress, "health"));
            using var models = await Http.GetAsync(new Uri(server.BaseAddress, "v1/models"), Ct);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            Assert.Equal("""{"error":{"code":503,"message":"Loading model","type":"unavailable_error"}}""", await health.Content.ReadAsStringAsync(Ct));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, models.StatusCode);
            Assert.DoesNotContain(server.StandardErrorLines, l => l.Contains("listening on", StringComparison.Ordinal));
        }
        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task Start_ListenEarly_PrintsOldStyleListeningLineBeforeLoading()
    {
        using var dir = new TempDirectory("fake-early");
        await using (var server = await StartAsync(dir, new() { ["FAKE_LLAMA_LOAD_DELAY_MS"] = "600000", ["FAKE_LLAMA_LISTEN_EARLY"] = "1" }, port: 0))
        {
            var line = await WaitForStderrLineAsync(server, "HTTP server is listening");
            var port = int.Parse(line.Split("port: ")[1].Split(',')[0], System.Globalization.CultureInfo.InvariantCulture);
            using var health = await Http.GetAsync(new Uri($"http://127.0.0.1:{port}/health"), Ct);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        }
        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task Start_CrashDuringLoad_ExitsWithGivenCodeAndLoadError()
    {
        using var dir = new TempDirectory("fake-load-crash");
        await using (var server = await StartAsync(dir, new() { ["FAKE_LLAMA_CRASH_DURING_LOAD"] = "3", ["LLAMA_SERVER_ROUTER_PORT"] = "0" }))
        {
            Assert.True(await server.WaitForExitAsync(TimeSpan.FromSeconds(30)));

            Assert.Equal(3, server.Process.ExitCode);
            Assert.Contains(server.StandardErrorLines, l => l.Contains("exiting due to model loading error", StringComparison.Ordinal));
            Assert.DoesNotContain(server.StandardOutputLines, l => l.Contains("\"ready\"", StringComparison.Ordinal));
        }
        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task ChatStream_CrashAfterTokens_CutsStreamAndDiesBySigkill()
    {
        using var dir = new TempDirectory("fake-stream-crash");
        await using (var server = await StartHealthyAsync(dir, new() { ["FAKE_LLAMA_TOKENS"] = "10", ["FAKE_LLAMA_CRASH_AFTER_TOKENS"] = "2" }))
        {
            using var response = await PostAsync(server, "v1/chat/completions", new { messages = new[] { new { role = "user", content = "hi" } }, stream = true });
            var events = new List<string>();

            await Assert.ThrowsAnyAsync<IOException>(() => ReadEventsAsync(response, events));
            Assert.True(await server.WaitForExitAsync(TimeSpan.FromSeconds(30)));

            Assert.Equal(3, events.Count);   // role chunk + 2 tokens
            Assert.DoesNotContain("[DONE]", events);
            Assert.Equal(SigKillExitCode, server.Process.ExitCode);
        }
        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task ChatNonStream_CrashAfterTokens_DropsConnectionWithoutResponse()
    {
        using var dir = new TempDirectory("fake-crash");
        await using (var server = await StartHealthyAsync(dir, new() { ["FAKE_LLAMA_CRASH_AFTER_TOKENS"] = "1" }))
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => PostAsync(server, "v1/chat/completions", new { messages = new[] { new { role = "user", content = "hi" } } }));
            Assert.True(await server.WaitForExitAsync(TimeSpan.FromSeconds(30)));

            Assert.Equal(SigKillExitCode, server.Process.ExitCode);
        }
        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task Stop_IgnoreSigterm_OutlivesSigtermExitCommandAndStdinEofUntilSigkill()
    {
        using var dir = new TempDirectory("fake-stubborn");
        await using (var server = await StartHealthyAsync(dir, new() { ["FAKE_LLAMA_IGNORE_SIGTERM"] = "1", ["LLAMA_SERVER_ROUTER_PORT"] = "0" }))
        {
            await SignalAsync(server.Pid, "TERM");
            await WaitForStderrLineAsync(server, "fake: ignoring SIGTERM");
            await server.StandardInput.WriteLineAsync("cmd_router_to_child:exit".AsMemory(), Ct);
            await server.StandardInput.FlushAsync(Ct);
            await WaitForStderrLineAsync(server, "fake: ignoring the exit command");
            server.StandardInput.Close();
            await WaitForStderrLineAsync(server, "fake: ignoring EOF on stdin");

            using var health = await Http.GetAsync(new Uri(server.BaseAddress, "health"), Ct);
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.False(server.HasExited);

            await SignalAsync(server.Pid, "KILL");
            Assert.True(await server.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            Assert.Equal(SigKillExitCode, server.Process.ExitCode);
        }
        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task Stop_Sigterm_ExitsWithZero()
    {
        using var dir = new TempDirectory("fake-sigterm");
        await using (var server = await StartHealthyAsync(dir))
        {
            await SignalAsync(server.Pid, "TERM");

            Assert.True(await server.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            Assert.Equal(0, server.Process.ExitCode);
        }
        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task ChatStream_TokenDelay_TakesAtLeastTheDelayPerToken()
    {
        using var dir = new TempDirectory("fake-slow");
        await using (var server = await StartHealthyAsync(dir, new() { ["FAKE_LLAMA_TOKENS"] = "3", ["FAKE_LLAMA_TOKEN_DELAY_MS"] = "150" }))
        {
            var clock = Stopwatch.StartNew();
            using var response = await PostAsync(server, "v1/chat/completions", new { messages = new[] { new { role = "user", content = "hi" } }, stream = true });
            var events = await ReadEventsAsync(response);

            Assert.Equal("[DONE]", events[^1]);
            Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(3 * 150), $"took {clock.Elapsed}");   // a lower bound only: delays never end early
        }
        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    /// <summary>The fake binds before it loads; the first connection can still race its bind.</summary>
    private static async Task<HttpResponseMessage> GetWhenListeningAsync(Uri uri)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await Http.GetAsync(uri, Ct);
            }
            catch (HttpRequestException) when (deadline.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(20, Ct);
            }
        }
    }
}
