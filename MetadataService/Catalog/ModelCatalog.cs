using LlamaAspire.MetadataService.Facts;

namespace LlamaAspire.MetadataService.Catalog;

/// <summary>
/// The models as last scanned, held in memory so GET /models never walks the disk.
/// Refreshed by <see cref="CatalogWatcher"/> and POST /models/rescan; digests are read live from the cache.
/// </summary>
public sealed class ModelCatalog(ModelFileScanner scanner, FactsCache cache)
{
    private readonly Lock _refreshGate = new();
    private volatile IReadOnlyList<(ModelFile File, ModelFacts? Facts)>? _models;

    public IReadOnlyList<ModelSummary> List()
    {
        var models = _models ?? Snapshot();
        return [.. models.Select(m => ModelSummary.From(m.File, m.Facts, cache.GetDigest(m.File)))];
    }

    /// <summary>The catalogued model with this id (case-insensitive), from memory: no disk scan.</summary>
    public ModelFile? Find(string id)
    {
        var models = _models ?? Snapshot();
        return models.Select(m => m.File).FirstOrDefault(f => string.Equals(f.Id, id, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Scans the folders now; headers are read only for new or changed files.</summary>
    public IReadOnlyList<ModelSummary> Refresh()
    {
        Snapshot();
        return List();
    }

    private IReadOnlyList<(ModelFile File, ModelFacts? Facts)> Snapshot()
    {
        lock (_refreshGate)
        {
            var files = scanner.Scan();
            var summaries = cache.Summarize(files);
            IReadOnlyList<(ModelFile, ModelFacts?)> models = [.. files.Zip(summaries, (f, s) => (f, s.Facts))];
            _models = models;
            return models;
        }
    }
}
