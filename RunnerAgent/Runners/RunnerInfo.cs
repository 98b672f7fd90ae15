namespace LlamaAspire.RunnerAgent.Runners;

/// <summary>A runner with a process (starting, ready or stopping) as reported by GET /runners.</summary>
public sealed record RunnerInfo(
    string Model,
    string State,
    string Endpoint,
    int Port,
    int Pid,
    DateTimeOffset StartedAt,
    DateTimeOffset LastUsedAt,
    string Runtime,
    double? LoadProgress);

public abstract record StartResult
{
    public sealed record Ready(RunnerInfo Runner) : StartResult;

    public sealed record ModelNotFound(string Model) : StartResult;

    public sealed record Failed(string Model, string Message) : StartResult;
}
