using LlamaAspire.RunnerAgent.Processes;
using LlamaAspire.RunnerAgent.Runners;

namespace LlamaAspire.RunnerAgent.LlamaServer;

/// <summary>Starts real llama-server processes (POSIX signals for stop; see <see cref="ProcessTermination"/>).</summary>
public sealed class LlamaServerLauncher(TimeProvider timeProvider, ILogger<LlamaServerLauncher> logger) : IRunnerProcessLauncher
{
    public IRunnerProcess Start(RunnerLaunch launch, RunnerLog log) => LlamaServerProcess.Start(launch, timeProvider, logger, log);
}
