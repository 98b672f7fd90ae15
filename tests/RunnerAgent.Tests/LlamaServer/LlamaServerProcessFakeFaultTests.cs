using LlamaAspire.RunnerAgent.LlamaServer;
using LlamaAspire.RunnerAgent.Metadata;
using LlamaAspire.TestSupport;
using LlamaAspire.TestSupport.Processes;
using Microsoft.Extensions.Logging.Abstractions;
using FakeLlamaServerBinary = LlamaAspire.TestSupport.LlamaServer.FakeLlamaServerBinary;

namespace LlamaAspire.RunnerAgent.Tests.LlamaServer;

/// <summary>
/// The agent's own LlamaServerProcess against the fake llama-server, for faults the real one can't be made to show.
/// The fault is chosen by the launcher script's environment, so the agent's start code runs unchanged.
/// </summary>
public sealed class LlamaServerProcessFakeFaultTests
{
    private const int SigKillExitCode = 128 + 9;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WaitUntilReadyAsync_CrashDuringLoad_ThrowsWithItsExitCode()
    {
        using var dir = new TempDirectory("fake-agent-crash");
        using var http = new HttpClient();
        var server = Start(dir, new Dictionary<string, string> { ["FAKE_LLAMA_CRASH_DURING_LOAD"] = "7" });
        try
        {
            var e = await Assert.ThrowsAsync<LlamaServerStartException>(() => server.WaitUntilReadyAsync(http, TimeSpan.FromSeconds(60), Ct));

            Assert.Equal(7, await server.Exited);
            Assert.Contains("exited with code 7 while loading fake", e.Message, StringComparison.Ordinal);
            Assert.Contains(e.LastOutput, line => line.Contains("exiting due to model loading error", StringComparison.Ordinal));
        }
        finally
        {
            await server.StopAsync(TimeSpan.FromSeconds(10));
        }
        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task StopAsync_ServerIgnoresSigtermExitCommandAndEof_EndsByKill()
    {
        using var dir = new TempDirectory("fake-agent-stubborn");
        using var http = new HttpClient();
        var server = Start(dir, new Dictionary<string, string> { ["FAKE_LLAMA_IGNORE_SIGTERM"] = "1" });
        try
        {
            await server.WaitUntilReadyAsync(http, TimeSpan.FromSeconds(60), Ct);

            await server.StopAsync(TimeSpan.FromMilliseconds(300));

            Assert.Equal(SigKillExitCode, await server.Exited);
            Assert.Contains(server.Output.Lines, line => line.Contains("fake: ignoring the exit command", StringComparison.Ordinal));
        }
        finally
        {
            await server.StopAsync(TimeSpan.FromSeconds(10));
        }
        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task WaitUntilReadyAsync_SlowLoad_ReportsRouterProgressThenReady()
    {
        using var dir = new TempDirectory("fake-agent-slow");
        using var http = new HttpClient();
        var server = Start(dir, new Dictionary<string, string> { ["FAKE_LLAMA_LOAD_DELAY_MS"] = "400" });
        try
        {
            await server.WaitUntilReadyAsync(http, TimeSpan.FromSeconds(60), Ct);

            Assert.True(server.SpeaksRouterProtocol);
            Assert.Equal(1, server.LoadProgress);
            Assert.True(server.Port > 0);
        }
        finally
        {
            await server.StopAsync(TimeSpan.FromSeconds(10));
        }
        Assert.Equal(0, await server.Exited);
        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    private static LlamaServerProcess Start(TempDirectory dir, Dictionary<string, string> faults) =>
        LlamaServerProcess.Start(
            FakeLlamaServerBinary.CreateLauncher(dir.Path, faults), new ModelInfo("fake", dir.Combine("fake.gguf"), 0), TimeProvider.System, NullLogger.Instance);
}
