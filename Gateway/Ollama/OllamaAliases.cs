namespace LlamaAspire.Gateway.Ollama;

/// <summary>
/// The aliases /api/copy made, as the inference path needs them: a name that is an alias leases its target, so a model
/// and its copies share one llama-server. Read from MetadataService at most every <see cref="MaxAge"/>; this gateway's
/// own copies and deletes refresh it at once. If MetadataService cannot be asked, the last known list is used.
/// </summary>
public sealed class OllamaAliases(TimeProvider time)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(2);

    private volatile Snapshot? _snapshot;

    /// <summary>The catalog ids a requested (normalized) name may stand for: its alias target's, else its own.</summary>
    public async Task<IEnumerable<string>> CandidatesAsync(string normalized, OllamaCatalogClient catalog, CancellationToken ct)
    {
        await RefreshIfStaleAsync(catalog, ct);
        return Candidates(normalized);
    }

    /// <summary>As <see cref="CandidatesAsync"/>, from the list in memory (refresh it first with <see cref="RefreshIfStaleAsync"/>).</summary>
    public IEnumerable<string> Candidates(string normalized)
    {
        ArgumentNullException.ThrowIfNull(normalized);
        var target = _snapshot?.Aliases.FirstOrDefault(a => string.Equals(OllamaModelNames.Normalize(a.Name), normalized, StringComparison.OrdinalIgnoreCase))?.Target;
        return OllamaUpstream.Candidates(target is null ? normalized : OllamaModelNames.ToOllamaName(target));
    }

    public async Task RefreshIfStaleAsync(OllamaCatalogClient catalog, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        if (_snapshot is { } current && time.GetElapsedTime(current.ReadAt) < MaxAge) return;
        try
        {
            _snapshot = new Snapshot(await catalog.ListAliasesAsync(ct), time.GetTimestamp());
        }
        catch (Upstream.MetadataUnavailableException)
        {
            // Keep what we had, and ask again only after MaxAge: requests must not each wait on an unreachable service.
            _snapshot = new Snapshot(_snapshot?.Aliases ?? [], time.GetTimestamp());
        }
    }

    /// <summary>Forgets the list, so the next request reads it again (after this gateway changed it).</summary>
    public void Invalidate() => _snapshot = null;

    private sealed record Snapshot(IReadOnlyList<CatalogAlias> Aliases, long ReadAt);
}
