using LlamaAspire.RunnerAgent.Runners;

namespace LlamaAspire.RunnerAgent.Processes;

/// <summary>A started process whose pid-file entry is dropped before <see cref="Exited"/> completes, so no one sees an exited process still recorded.</summary>
internal sealed class PidRecordedProcess : IRunnerProcess
{
    private readonly IRunnerProcess _inner;
    private readonly RunnerPidFile _pidFile;

    public PidRecordedProcess(IRunnerProcess inner, RunnerPidFile pidFile)
    {
        _inner = inner;
        _pidFile = pidFile;
        pidFile.Record(inner.ProcessId);
        Exited = ForgetOnExitAsync(inner, pidFile);
    }

    public int ProcessId => _inner.ProcessId;

    public int Port => _inner.Port;

    public Uri Endpoint => _inner.Endpoint;

    public DateTimeOffset StartedAt => _inner.StartedAt;

    public double? LoadProgress => _inner.LoadProgress;

    public OutputTail Output => _inner.Output;

    public RunnerLaunch Launch => _inner.Launch;

    public Task<int> Exited { get; }

    public bool HasExited => Exited.IsCompleted || _inner.HasExited;

    /// <summary>
    /// Records it again once ready: a runtime that is a wrapper script was still the shell when it was first recorded,
    /// and the reaper only stops a process whose executable matches. By readiness the exec has happened.
    /// </summary>
    public async Task WaitUntilReadyAsync(TimeSpan stallTimeout, CancellationToken ct)
    {
        await _inner.WaitUntilReadyAsync(stallTimeout, ct);
        _pidFile.Record(_inner.ProcessId);
    }

    public async Task StopAsync(TimeSpan grace)
    {
        await _inner.StopAsync(grace);
        await Exited;
    }

    private static async Task<int> ForgetOnExitAsync(IRunnerProcess inner, RunnerPidFile pidFile)
    {
        var exitCode = await inner.Exited;
        pidFile.Remove(inner.ProcessId);
        return exitCode;
    }
}
