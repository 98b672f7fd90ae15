using LlamaAspire.RunnerAgent.LlamaServer;
using LlamaAspire.RunnerAgent.Metadata;
using LlamaAspire.RunnerAgent.Processes;
using LlamaAspire.RunnerAgent.Runners;
using LlamaAspire.TestSupport;
using LlamaAspire.TestSupport.Processes;
using Microsoft.Extensions.Logging.Abstractions;
using FakeLlamaServerBinary = LlamaAspire.TestSupport.LlamaServer.FakeLlamaServerBinary;

namespace LlamaAspire.RunnerAgent.Tests.Processes;

/// <summary>The agent's real launcher, decorated, starting the fake llama-server.</summary>
public sealed class PidRecordingLauncherTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Start_ThenStop_RecordsWhileRunningAndForgetsOnExit()
    {
        using var dir = new TempDirectory("pids-launcher");
        var pidFile = RunnerPidFile.InHome(dir.Path, NullLogger.Instance);
        var process = Launcher(pidFile).Start(Launch(dir, []), new RunnerLog(TimeProvider.System));
        try
        {
            Assert.Equal(process.ProcessId, Assert.Single(pidFile.Read()).Pid);
            await process.WaitUntilReadyAsync(TimeSpan.FromSeconds(60), Ct);

            // Started through a wrapper script: recorded again once ready, with the executable it exec'd.
            var entry = Assert.Single(pidFile.Read());
            Assert.Equal(process.ProcessId, entry.Pid);
            Assert.Equal(Path.GetFullPath(FakeLlamaServerBinary.Path), entry.Executable);
        }
        finally
        {
            await process.StopAsync(TimeSpan.FromSeconds(10));
        }

        Assert.Empty(pidFile.Read());
        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task Exited_ProcessCrashes_EntryGoneBeforeExitIsSeen()
    {
        using var dir = new TempDirectory("pids-launcher-crash");
        var pidFile = RunnerPidFile.InHome(dir.Path, NullLogger.Instance);
        var process = Launcher(pidFile).Start(Launch(dir, new Dictionary<string, string> { ["FAKE_LLAMA_CRASH_DURING_LOAD"] = "9" }), new RunnerLog(TimeProvider.System));

        Assert.Equal(9, await process.Exited);

        Assert.Empty(pidFile.Read());
        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task StartAsync_Reaper_StopsWhatAnEarlierAgentRecorded()
    {
        using var dir = new TempDirectory("pids-reaper");
        var earlier = RunnerPidFile.InHome(dir.Path, NullLogger.Instance, owner: new RunnerPidEntry(int.MaxValue, 1, "/gone/RunnerAgent"));
        // The earlier agent "dies": its process is left running, recorded.
        var leftover = Launcher(earlier).Start(Launch(dir, []), new RunnerLog(TimeProvider.System));
        await leftover.WaitUntilReadyAsync(TimeSpan.FromSeconds(60), Ct);
        var next = RunnerPidFile.InHome(dir.Path, NullLogger.Instance);

        await new RunnerPidReaper(next, NullLogger<RunnerPidReaper>.Instance).StartAsync(Ct);

        Assert.Equal(0, await leftover.Exited.WaitAsync(TimeSpan.FromSeconds(30), Ct));   // the fake honours SIGTERM
        Assert.Empty(next.Read());
        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    private static PidRecordingLauncher Launcher(RunnerPidFile pidFile) =>
        new(new LlamaServerLauncher(TimeProvider.System, NullLogger<LlamaServerLauncher>.Instance), pidFile);

    private static RunnerLaunch Launch(TempDirectory dir, Dictionary<string, string> faults) =>
        new(new ModelInfo("fake", dir.Combine("fake.gguf"), 0), FakeLlamaServerBinary.CreateLauncher(dir.Path, faults));
}
