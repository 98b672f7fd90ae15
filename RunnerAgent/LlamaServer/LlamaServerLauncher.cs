using LlamaAspire.RunnerAgent.Metadata;
using LlamaAspire.RunnerAgent.Processes;

namespace LlamaAspire.RunnerAgent.LlamaServer;

/// <summary>Starts real llama-server processes (POSIX signals for stop; see <see cref="ProcessTermination"/>).</summary>
public sealed class LlamaServerLauncher(TimeProvider timeProvider, ILogger<LlamaServerLauncher> logger) : IRunnerProcessLauncher
{
    public IRunnerProcess Start(ModelInfo model, string binary) => LlamaServerProcess.Start(binary, model, timeProvider, logger);
}
