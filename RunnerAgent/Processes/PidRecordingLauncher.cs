using LlamaAspire.RunnerAgent.Runners;

namespace LlamaAspire.RunnerAgent.Processes;

/// <summary>Records each process <paramref name="inner"/> starts in the pid file, and forgets it once it has exited.</summary>
public sealed class PidRecordingLauncher(IRunnerProcessLauncher inner, RunnerPidFile pidFile) : IRunnerProcessLauncher
{
    public IRunnerProcess Start(RunnerLaunch launch, RunnerLog log) => new PidRecordedProcess(inner.Start(launch, log), pidFile);
}
