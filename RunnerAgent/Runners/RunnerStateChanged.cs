namespace LlamaAspire.RunnerAgent.Runners;

/// <summary>One state change of one runner; <paramref name="Reason"/> says why it failed or stopped, when known.</summary>
public sealed record RunnerStateChanged(string ModelId, RunnerState From, RunnerState To, string? Reason, DateTimeOffset At);
