using LlamaAspire.Gateway.Upstream;

namespace LlamaAspire.Gateway.Ollama;

/// <summary>
/// GET /api/ps from the RunnerAgent's runners and the catalog. A model is listed once it has a llama-server process, so
/// "loading" and "ready" runners (Ollama lists a model as soon as its runner starts, before it finishes loading), not
/// "queued" (no process yet) or "unloading" (on its way out). Newest expiry first, as Ollama sorts.
/// </summary>
public static class OllamaProcesses
{
    public static readonly IReadOnlySet<string> ListedStates = new HashSet<string>(["loading", "ready"], StringComparer.OrdinalIgnoreCase);

    /// <param name="now">The expiry of runners without one (see <see cref="ToProcessModel"/>) is counted from it.</param>
    public static OllamaProcessList From(IEnumerable<RunnerStatus> runners, IEnumerable<CatalogEntry> catalog, DateTimeOffset now, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(runners);
        ArgumentNullException.ThrowIfNull(catalog);
        var entries = catalog.GroupBy(e => e.Id, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        return new([.. runners
            .Where(r => ListedStates.Contains(r.State))
            .Select(r => (Runner: r, ExpiresAt: r.ExpiresAt ?? now + OllamaTime.Forever))
            .OrderByDescending(x => x.ExpiresAt)
            .ThenBy(x => x.Runner.Model, StringComparer.OrdinalIgnoreCase)
            .Select(x => ToProcessModel(x.Runner, entries.GetValueOrDefault(x.Runner.Model), x.ExpiresAt, zone))]);
    }

    /// <summary>
    /// size is the agent's memory estimate for the runner, the figure its budget uses (Ollama also reports its estimate;
    /// the measured resident size of an mmapped model moves with page-ins). size_vram is 0: the agent does not report GPU
    /// offload, and 0 is Ollama's "all in system memory". expires_at is the agent's idle expiry; it has none while the model
    /// is busy, loading or kept forever, and those show Ollama's "forever" (now plus Go's longest duration).
    /// </summary>
    public static OllamaProcessModel ToProcessModel(RunnerStatus runner, CatalogEntry? entry, DateTimeOffset expiresAt, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(runner);
        var name = OllamaModelNames.ToOllamaName(entry?.Id ?? runner.Model);
        return new(
            Name: name,
            Model: name,
            Size: runner.MemoryEstimateBytes > 0 ? runner.MemoryEstimateBytes : runner.MemoryBytes ?? 0,
            Digest: entry is null ? OllamaDigest.ForUnlisted(runner.Model) : OllamaDigest.For(entry),
            Details: OllamaDetails.From(entry?.Facts),
            ExpiresAt: OllamaTime.Format(expiresAt, zone),
            SizeVram: 0,
            ContextLength: runner.ContextLength);
    }
}
