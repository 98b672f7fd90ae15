namespace LlamaAspire.RunnerAgent.Runners;

/// <summary>A running llama-server as reported by GET /runners.</summary>
public sealed record RunnerInfo(
    string Model,
    string State,
    string Endpoint,
    int Port,
    int Pid,
    DateTimeOffset StartedAt,
    DateTimeOffset LastUsedAt,
    string Runtime);

public abstract record StartResult
{
    public sealed record Ready(RunnerInfo Runner) : StartResult;

    public sealed record ModelNotFound(string Model) : StartResult;

    public sealed record Failed(string Model, string Message) : StartResult;
}
