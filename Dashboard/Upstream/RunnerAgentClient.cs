namespace LlamaAspire.Dashboard.Upstream;

public sealed record Runner(string Model, string State, string Endpoint, int Pid, DateTimeOffset StartedAt);

public sealed class RunnerAgentClient(HttpClient http)
{
    public async Task<IReadOnlyList<Runner>> ListRunnersAsync(CancellationToken ct) =>
        await http.GetFromJsonAsync<List<Runner>>("/runners", ct) ?? [];
}
