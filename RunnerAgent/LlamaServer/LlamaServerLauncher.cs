using LlamaAspire.RunnerAgent.Metadata;
using LlamaAspire.RunnerAgent.Processes;
using LlamaAspire.RunnerAgent.Runners;

namespace LlamaAspire.RunnerAgent.LlamaServer;

/// <summary>Starts real llama-server processes (POSIX signals for stop; see <see cref="ProcessTermination"/>).</summary>
public sealed class LlamaServerLauncher(TimeProvider timeProvider, ILogger<LlamaServerLauncher> logger) : IRunnerProcessLauncher
{
    public IRunnerProcess Start(ModelInfo model, string binary, RunnerLog log) => LlamaServerProcess.Start(binary, model, timeProvider, logger, log);
}
