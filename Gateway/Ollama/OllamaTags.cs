namespace LlamaAspire.Gateway.Ollama;

/// <summary>GET /api/tags from the catalog: every model under its tagged name, newest first as Ollama sorts.</summary>
public static class OllamaTags
{
    public static OllamaModelList From(IEnumerable<CatalogEntry> entries, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return new([.. entries
            .OrderByDescending(e => e.ModifiedAt)
            .ThenBy(e => e.Id, StringComparer.OrdinalIgnoreCase)
            .Select(e => ToListedModel(e, zone))]);
    }

    public static OllamaListedModel ToListedModel(CatalogEntry entry, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var name = OllamaModelNames.ToOllamaName(entry.Id);
        return new(name, name, OllamaTime.Format(entry.ModifiedAt, zone), entry.SizeBytes, OllamaDigest.For(entry), OllamaDetails.From(entry.Facts));
    }
}
