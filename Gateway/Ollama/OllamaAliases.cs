namespace LlamaAspire.Gateway.Ollama;

/// <summary>
/// The aliases /api/copy made, as the inference path needs them: a name that is an alias leases its target, so a model
/// and its copies share one llama-server. Read from MetadataService at most every <see cref="MaxAge"/>: a request that
/// finds the list older uses it still while it is read again in the background (up to <see cref="MaxStaleness"/>, when
/// the request waits), so the inference path does not wait on MetadataService. This gateway's own copies and deletes
/// refresh it at once. If MetadataService cannot be asked, the last known list is used.
/// </summary>
public sealed class OllamaAliases(TimeProvider time)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(2);

    public static readonly TimeSpan MaxStaleness = TimeSpan.FromSeconds(30);

    private volatile Snapshot? _snapshot;
    private int _refreshing;
    private int _generation;

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
        if (_snapshot is { } current)
        {
            var age = time.GetElapsedTime(current.ReadAt);
            if (age < MaxAge) return;
            if (age < MaxStaleness)
            {
                if (Interlocked.CompareExchange(ref _refreshing, 1, 0) == 0)
                {
                    _ = Task.Run(async () =>
                    {
                        try
                        {
                            await ReadAsync(catalog, CancellationToken.None);
                        }
                        finally
                        {
                            Volatile.Write(ref _refreshing, 0);
                        }
                    }, CancellationToken.None);
                }

                return;
            }
        }

        await ReadAsync(catalog, ct);
    }

    /// <summary>Reads the list; a read that began before an <see cref="Invalidate"/> is dropped, since it may miss that change.</summary>
    private async Task ReadAsync(OllamaCatalogClient catalog, CancellationToken ct)
    {
        var readAt = time.GetTimestamp();
        var generation = Volatile.Read(ref _generation);
        Snapshot next;
        try
        {
            next = new Snapshot(await catalog.ListAliasesAsync(ct), readAt);
        }
        catch (Upstream.MetadataUnavailableException)
        {
            // Keep what we had, and ask again only after MaxAge: requests must not each wait on an unreachable service.
            next = new Snapshot(_snapshot?.Aliases ?? [], readAt);
        }

        if (Volatile.Read(ref _generation) == generation) _snapshot = next;
    }

    /// <summary>Forgets the list, so the next request reads it again (after this gateway changed it).</summary>
    public void Invalidate()
    {
        Interlocked.Increment(ref _generation);
        _snapshot = null;
    }

    private sealed record Snapshot(IReadOnlyList<CatalogAlias> Aliases, long ReadAt);
}
