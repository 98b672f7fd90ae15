using LlamaAspire.RunnerAgent.Runners;

namespace LlamaAspire.RunnerAgent.Processes;

/// <summary>Starts the server process of one model. The seam for another OS's process code, and for tests' faults.</summary>
public interface IRunnerProcessLauncher
{
    /// <summary>Starts it and returns at once; readiness is <see cref="IRunnerProcess.WaitUntilReadyAsync"/>. Its output goes to <paramref name="log"/>.</summary>
    IRunnerProcess Start(RunnerLaunch launch, RunnerLog log);
}

/// <summary>A started model server process.</summary>
public interface IRunnerProcess
{
    int ProcessId { get; }

    int Port { get; }

    Uri Endpoint { get; }

    DateTimeOffset StartedAt { get; }

    /// <summary>Load progress from 0 to 1, when the process reports it.</summary>
    double? LoadProgress { get; }

    OutputTail Output { get; }

    /// <summary>What it was started with.</summary>
    RunnerLaunch Launch { get; }

    /// <summary>Completes with the exit code once the process has exited and its output is read.</summary>
    Task<int> Exited { get; }

    /// <summary>Gone already, even if <see cref="Exited"/> has not completed yet (its output may still be draining).</summary>
    bool HasExited { get; }

    /// <summary>Completes when it serves requests; throws <c>LlamaServerStartException</c> when it exits or stalls first.</summary>
    Task WaitUntilReadyAsync(TimeSpan stallTimeout, CancellationToken ct);

    /// <summary>Asks it to leave, waits up to <paramref name="grace"/>, then kills it; completes once it has exited.</summary>
    Task StopAsync(TimeSpan grace);
}
