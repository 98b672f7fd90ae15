using System.Diagnostics;
using LlamaAspire.RunnerAgent.Processes;
using LlamaAspire.TestSupport;
using LlamaAspire.TestSupport.LlamaServer;
using LlamaAspire.TestSupport.Processes;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlamaAspire.RunnerAgent.Tests.Processes;

/// <summary>
/// An earlier agent (one RunnerPidFile) records; the next agent (another, on the same file) reaps. The processes are
/// real: sleep through a symlink in the test's temp dir, so its command line carries the orphan marker.
/// </summary>
public sealed class RunnerPidFileTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task ReapAsync_RecordedProcessStillRunning_StopsItAndClearsFile()
    {
        using var dir = new TempDirectory("pids-reap");
        using var sleeper = StartSleep(dir);
        Earlier(dir).Record(sleeper.Id);

        var next = PidFile(dir);
        var stopped = await next.ReapAsync(Grace);

        Assert.Equal(1, stopped);
        await ProcessAssert.ExitedAsync(sleeper.Id);
        Assert.Empty(next.Read());
        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    /// <summary>As after an agent's death: the leftover is nobody's child here, and may stay a zombie when init does not reap.</summary>
    [Fact]
    public async Task ReapAsync_OrphanedProcess_StopsIt()
    {
        using var dir = new TempDirectory("pids-orphan");
        var pid = await StartOrphanSleepAsync(dir);
        Earlier(dir).Record(pid);

        var stopped = await PidFile(dir).ReapAsync(Grace);

        Assert.Equal(1, stopped);
        await ProcessAssert.ExitedAsync(pid);
        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task ReapAsync_ProcessIgnoringSigterm_KillsItAfterGrace()
    {
        using var dir = new TempDirectory("pids-stubborn");
        await using var server = await LlamaServerProcess.StartHealthyAsync(new LlamaServerOptions
        {
            BinaryPath = FakeLlamaServerBinary.Path,
            ModelPath = dir.Combine("fake.gguf"),
            Environment = new Dictionary<string, string?> { ["FAKE_LLAMA_IGNORE_SIGTERM"] = "1" },
        }, cancellationToken: TestContext.Current.CancellationToken);
        Earlier(dir).Record(server.Pid);

        var stopped = await PidFile(dir).ReapAsync(TimeSpan.FromMilliseconds(200));

        Assert.Equal(1, stopped);
        Assert.True(await server.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(128 + 9, server.Process.ExitCode);
        Assert.Contains(server.StandardErrorLines, l => l.Contains("ignoring SIGTERM", StringComparison.Ordinal));
        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task ReapAsync_StartTimeDiffers_LeavesRecycledPidAlone()
    {
        using var dir = new TempDirectory("pids-recycled");
        using var sleeper = StartSleep(dir);
        var live = ProcessIdentity.Describe(sleeper.Id)!;
        Earlier(dir).Record(live with { StartTime = live.StartTime - 1 });

        var next = PidFile(dir);
        var stopped = await next.ReapAsync(Grace);

        Assert.Equal(0, stopped);
        Assert.True(ProcessTable.IsRunning(sleeper.Id));
        Assert.Empty(next.Read());
        sleeper.Kill();
        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task ReapAsync_ExecutableDiffers_LeavesProcessAlone()
    {
        using var dir = new TempDirectory("pids-other-exe");
        using var sleeper = StartSleep(dir);
        var live = ProcessIdentity.Describe(sleeper.Id)!;
        Earlier(dir).Record(live with { Executable = "/opt/llama/llama-server" });

        var stopped = await PidFile(dir).ReapAsync(Grace);

        Assert.Equal(0, stopped);
        Assert.True(ProcessTable.IsRunning(sleeper.Id));
        sleeper.Kill();
        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task ReapAsync_RecordingAgentStillAlive_LeavesItsProcessesAndEntries()
    {
        using var dir = new TempDirectory("pids-other-agent");
        using var otherAgent = StartSleep(dir);
        using var itsServer = StartSleep(dir);
        RunnerPidFile.InHome(dir.Path, NullLogger.Instance, ProcessIdentity.Describe(otherAgent.Id)).Record(itsServer.Id);

        var next = PidFile(dir);
        var stopped = await next.ReapAsync(Grace);

        Assert.Equal(0, stopped);
        Assert.True(ProcessTable.IsRunning(itsServer.Id));
        Assert.Equal(itsServer.Id, Assert.Single(next.Read()).Pid);
        otherAgent.Kill();
        itsServer.Kill();
        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task ReapAsync_CorruptFile_IgnoresBadLinesAndStopsGoodOnes()
    {
        using var dir = new TempDirectory("pids-corrupt");
        using var sleeper = StartSleep(dir);
        var live = ProcessIdentity.Describe(sleeper.Id)!;
        var path = dir.Combine("run", RunnerPidFile.DefaultFileName);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, $"garbage\n\0\0\xff\n-5 1 /bin/x\n12 notanumber /bin/x\n{live.ToLine()}\n99999999 1 rel/path\n42 7", TestContext.Current.CancellationToken);

        var next = PidFile(dir);
        var stopped = await next.ReapAsync(Grace);

        Assert.Equal(1, stopped);
        await ProcessAssert.ExitedAsync(sleeper.Id);
        Assert.Empty(next.Read());
        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task ReapAsync_BinaryGarbageFile_ReturnsZeroWithoutException()
    {
        using var dir = new TempDirectory("pids-garbage");
        var path = dir.Combine("run", RunnerPidFile.DefaultFileName);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, [0x00, 0xff, 0xfe, 0x0a, 0x80, 0x20, 0x31], TestContext.Current.CancellationToken);

        var next = PidFile(dir);

        Assert.Equal(0, await next.ReapAsync(Grace));
        Assert.Empty(next.Read());
    }

    [Fact]
    public async Task ReapAsync_NoFile_ReturnsZero()
    {
        using var dir = new TempDirectory("pids-none");

        Assert.Equal(0, await PidFile(dir).ReapAsync(Grace));
    }

    [Fact]
    public async Task ReapAsync_OwnProcesses_KeepsThemRunningAndRecorded()
    {
        using var dir = new TempDirectory("pids-own");
        using var sleeper = StartSleep(dir);
        var agent = PidFile(dir);
        agent.Record(sleeper.Id);

        var stopped = await agent.ReapAsync(Grace);

        Assert.Equal(0, stopped);
        Assert.True(ProcessTable.IsRunning(sleeper.Id));
        Assert.Single(agent.Read());
        sleeper.Kill();
        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task Record_LiveProcess_StoresStartTimeAndResolvedExecutable()
    {
        using var dir = new TempDirectory("pids-record");
        using var sleeper = StartSleep(dir);
        var agent = PidFile(dir);

        agent.Record(sleeper.Id);

        var entry = Assert.Single(agent.Read());
        Assert.Equal(sleeper.Id, entry.Pid);
        Assert.Equal(ProcessIdentity.Describe(sleeper.Id)!.StartTime, entry.StartTime);
        Assert.Equal(Path.GetFullPath(File.ResolveLinkTarget(Sleep, returnFinalTarget: true)?.FullName ?? Sleep), entry.Executable);
        sleeper.Kill();
        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task Remove_RecordedProcess_DropsOnlyItsEntry()
    {
        using var dir = new TempDirectory("pids-remove");
        using var first = StartSleep(dir);
        using var second = StartSleep(dir);
        var agent = PidFile(dir);
        agent.Record(first.Id);
        agent.Record(second.Id);

        agent.Remove(first.Id);

        Assert.Equal([second.Id], agent.Read().Select(e => e.Pid));
        first.Kill();
        second.Kill();
        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task Record_ExitedProcess_RecordsNothing()
    {
        using var dir = new TempDirectory("pids-exited");
        using var sleeper = StartSleep(dir, "0");
        await sleeper.WaitForExitAsync(TestContext.Current.CancellationToken);
        var agent = PidFile(dir);

        agent.Record(sleeper.Id);

        Assert.Empty(agent.Read());
    }

    [Fact]
    public void Record_ExistingFile_ReplacedWholeWithNoTempLeft()
    {
        using var dir = new TempDirectory("pids-atomic");
        var agent = PidFile(dir);

        agent.Record(new RunnerPidEntry(4242, 17, "/opt/a b/llama-server"));
        agent.Record(new RunnerPidEntry(4343, 18, "/opt/llama-server"));

        Assert.Equal([(4242, 17L, "/opt/a b/llama-server"), (4343, 18L, "/opt/llama-server")],
            File.ReadAllLines(agent.Path).Select(RunnerPidEntry.TryParse).Select(e => (e!.Pid, e.StartTime, e.Executable)));
        Assert.All(agent.Read(), e => Assert.Equal(Environment.ProcessId, e.OwnerPid));
        Assert.Equal([agent.Path], Directory.GetFiles(Path.GetDirectoryName(agent.Path)!));
    }

    private const string Sleep = "/usr/bin/sleep";

    /// <summary>An agent stamped with a process that does not exist: one that has died.</summary>
    private static readonly RunnerPidEntry DeadAgent = new(int.MaxValue, 1, "/gone/RunnerAgent");

    /// <summary>The agent under test: this process.</summary>
    private static RunnerPidFile PidFile(TempDirectory dir) => RunnerPidFile.InHome(dir.Path, NullLogger.Instance);

    private static RunnerPidFile Earlier(TempDirectory dir) => RunnerPidFile.InHome(dir.Path, NullLogger.Instance, DeadAgent);

    /// <summary>sh starts sleep in the background and exits, so sleep is reparented away from this process.</summary>
    private static async Task<int> StartOrphanSleepAsync(TempDirectory dir)
    {
        var link = dir.Combine($"sleep-{Guid.NewGuid():N}");
        File.CreateSymbolicLink(link, Sleep);
        using var sh = Process.Start(new ProcessStartInfo("/bin/sh")
        {
            ArgumentList = { "-c", "\"$0\" 60 >/dev/null 2>&1 & echo $!", link },
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        var pid = int.Parse((await sh.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken)).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        await sh.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.NotEqual(Environment.ProcessId, ProcessTable.TryRead(pid)?.ParentPid);
        return pid;
    }

    private static Process StartSleep(TempDirectory dir, string seconds = "60")
    {
        var link = dir.Combine($"sleep-{Guid.NewGuid():N}");
        File.CreateSymbolicLink(link, Sleep);
        return Process.Start(new ProcessStartInfo(link) { ArgumentList = { seconds }, UseShellExecute = false })!;
    }
}
