using System.Diagnostics;
using LlamaAspire.RunnerAgent.LlamaServer;
using LlamaAspire.RunnerAgent.Tests.Support;
using LlamaAspire.TestSupport;
using LlamaAspire.TestSupport.Processes;
using Microsoft.Extensions.Logging.Abstractions;
using Binary = LlamaAspire.TestSupport.LlamaServer.LlamaServerBinary;

namespace LlamaAspire.RunnerAgent.Tests.LlamaServer;

/// <summary>The stall timeout against a real llama-server that stops making progress.</summary>
public sealed class LlamaServerStallTests(ITestOutputHelper output)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The model is a FIFO nobody writes to: llama-server blocks opening it and prints nothing more.</summary>
    [Fact]
    public async Task WaitUntilReadyAsync_ModelReadBlocks_ThrowsNoProgressAfterStallTimeout()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "Needs mkfifo.");
        using var dir = new TempDirectory("runner-stall");
        var model = await Posix.FifoModelAsync(dir.Combine("stalled.gguf"), "stalled");
        using var http = new HttpClient();
        var server = LlamaServerProcess.Start(await Binary.GetPathAsync(), model, TimeProvider.System, NullLogger.Instance);
        try
        {
            var clock = Stopwatch.StartNew();
            var e = await Assert.ThrowsAsync<LlamaServerStartException>(() => server.WaitUntilReadyAsync(http, TimeSpan.FromSeconds(2), Ct));

            output.WriteLine($"stall detected after {clock.ElapsedMilliseconds} ms: {e.Message}");
            Assert.Contains("made no progress loading stalled for 2 s", e.Message, StringComparison.Ordinal);
            Assert.Contains(e.LastOutput, line => line.Contains("loading model", StringComparison.Ordinal));
            Assert.False(server.Exited.IsCompleted);
        }
        finally
        {
            var clock = Stopwatch.StartNew();
            await server.StopAsync(TimeSpan.FromSeconds(10));
            output.WriteLine($"StopAsync of the stalled server took {clock.ElapsedMilliseconds} ms, exit code {await server.Exited}");
        }

        await ProcessAssert.ExitedAsync(server.ProcessId);
        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    /// <summary>
    /// A frozen llama-server (SIGSTOP) prints nothing more. Started with --port 0, it tells its port only once loaded,
    /// so while loading the output is the only sign of progress.
    /// </summary>
    [Fact]
    public async Task WaitUntilReadyAsync_ProcessFrozenWhileLoading_ThrowsNoProgressAfterStallTimeout()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "Needs mkfifo and kill.");
        using var dir = new TempDirectory("runner-frozen");
        var model = await Posix.FifoModelAsync(dir.Combine("frozen.gguf"), "frozen");
        using var http = new HttpClient { Timeout = TimeSpan.FromMilliseconds(500) };
        var server = LlamaServerProcess.Start(await Binary.GetPathAsync(), model, TimeProvider.System, NullLogger.Instance);
        try
        {
            Assert.True(await Wait.UntilAsync(() => server.Output.Lines.Any(l => l.Contains("loading model", StringComparison.Ordinal)), TimeSpan.FromSeconds(30)));
            await Posix.SignalAsync(server.ProcessId, "STOP");

            var e = await Assert.ThrowsAsync<LlamaServerStartException>(() => server.WaitUntilReadyAsync(http, TimeSpan.FromSeconds(2), Ct));

            output.WriteLine(e.Message);
            Assert.Contains("made no progress loading frozen", e.Message, StringComparison.Ordinal);
            Assert.Equal(0, server.Port);
        }
        finally
        {
            await Posix.SignalAsync(server.ProcessId, "CONT");
            await server.StopAsync(TimeSpan.FromSeconds(10));
        }

        await ProcessAssert.NoneRunningAsync(dir.Path);
    }
}
