namespace LlamaAspire.Dashboard.Upstream;

/// <summary>A GET /runners entry as the Dashboard shows it. State: queued, loading, ready or unloading; no process while queued.</summary>
public sealed record Runner(
    string Model,
    string State,
    string? Endpoint,
    int? Pid,
    int ContextLength,
    DateTimeOffset? StartedAt,
    DateTimeOffset? ExpiresAt,
    int InFlight,
    int Queued,
    long MemoryEstimateBytes,
    long? MemoryBytes);

public sealed class RunnerAgentClient(HttpClient http)
{
    public async Task<IReadOnlyList<Runner>> ListRunnersAsync(CancellationToken ct) =>
        await http.GetFromJsonAsync<List<Runner>>("/runners", ct) ?? [];
}
