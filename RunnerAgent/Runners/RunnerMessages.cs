using LlamaAspire.RunnerAgent.Processes;

namespace LlamaAspire.RunnerAgent.Runners;

/// <summary>What a <see cref="ModelRunner"/>'s loop reads: requests from callers, and results of the slow work it handed off.</summary>
internal abstract record RunnerMessage
{
    public sealed record EnsureReady(TaskCompletionSource<IRunnerProcess> Reply, int ContextLength) : RunnerMessage;

    public sealed record Stop(TaskCompletionSource<bool> Reply) : RunnerMessage;

    public sealed record StartCompleted(IRunnerProcess Process, Exception? Error) : RunnerMessage;

    public sealed record ProcessExited(IRunnerProcess Process, int ExitCode) : RunnerMessage;
}

/// <summary>The runner could not be made ready: the load failed, it was stopped first, or it is backing off after crashes.</summary>
public sealed class RunnerStartException(string message) : Exception(message);

/// <summary>What a runner looks like now, for display; decisions go through the runner's methods.</summary>
public sealed record RunnerStatus(RunnerState State, IRunnerProcess? Process, string? Reason);
