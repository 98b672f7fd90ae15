namespace LlamaAspire.RunnerAgent.Runners;

/// <summary>The life of one model's llama-server. A Failed runner's reason travels with its state change.</summary>
public enum RunnerState
{
    Stopped,
    Starting,
    Ready,
    Stopping,
    Failed,
}

/// <summary>Every allowed state change, as a table; the runner refuses anything else.</summary>
public static class RunnerTransitions
{
    public static bool IsValid(RunnerState from, RunnerState to) => (from, to) switch
    {
        (RunnerState.Stopped, RunnerState.Starting) => true,
        (RunnerState.Starting, RunnerState.Ready or RunnerState.Stopping or RunnerState.Failed) => true,   // Failed: the load failed
        (RunnerState.Ready, RunnerState.Stopping or RunnerState.Failed) => true,                           // Failed: it crashed
        (RunnerState.Stopping, RunnerState.Stopped) => true,
        (RunnerState.Failed, RunnerState.Starting or RunnerState.Stopped) => true,                         // a retry, or an explicit stop clears it
        _ => false,
    };
}
