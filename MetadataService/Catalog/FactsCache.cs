using System.Text.Json;
using System.Text.Json.Serialization;
using LlamaAspire.MetadataService.Facts;
using LlamaAspire.MetadataService.Gguf;

namespace LlamaAspire.MetadataService.Catalog;

/// <summary>
/// Facts per model file, persisted so a restart over unchanged files reads no header.
/// Keyed by full path and validated by size and mtime; a broken cache file is logged and rebuilt.
/// </summary>
public sealed class FactsCache
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private readonly IGgufHeaderSource _reader;
    private readonly ILogger<FactsCache> _logger;
    private readonly Lock _gate = new();
    private readonly Lock _writeGate = new();
    private readonly Dictionary<string, FactsCacheEntry> _entries;
    private bool _dirty;

    public FactsCache(string cacheFile, IGgufHeaderSource reader, ILogger<FactsCache> logger)
    {
        ArgumentException.ThrowIfNullOrEmpty(cacheFile);
        CacheFile = cacheFile;
        _reader = reader;
        _logger = logger;
        _entries = Load();
    }

    public string CacheFile { get; }

    /// <summary>The model's facts, from the cache when unchanged; null when the file is not a readable GGUF file.</summary>
    public ModelFacts? GetFacts(ModelFile model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var vision = model.HasVisionProjector;
        if (TryGet(model, vision, out var cached)) return cached;
        ModelFacts? facts;
        try
        {
            facts = ModelFactsBuilder.Build(_reader.Read(model.Path, ModelFactsBuilder.ReadOptions), vision, ReadOtherShards(model));
        }
        catch (GgufFormatException e)
        {
            Log.UnreadableGguf(_logger, model.Path, e.Message);
            facts = null;   // cached too, so a bad file is not parsed again until it changes
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.UnreadableGguf(_logger, model.Path, e.Message);
            return null;   // possibly transient: not cached
        }
        Store(model, vision, facts);
        return facts;
    }

    /// <summary>Facts for a header the caller already read; the cached ones when the file is unchanged.</summary>
    public ModelFacts GetFacts(ModelFile model, GgufHeader header)
    {
        ArgumentNullException.ThrowIfNull(model);
        var vision = model.HasVisionProjector;
        if (TryGet(model, vision, out var cached) && cached is not null) return cached;
        var facts = ModelFactsBuilder.Build(header, vision, ReadOtherShards(model));
        Store(model, vision, facts);
        Flush();
        return facts;
    }

    /// <summary>The list entries; entries for files no longer listed are dropped, and the cache is saved if it changed.</summary>
    public IReadOnlyList<ModelSummary> Summarize(IReadOnlyList<ModelFile> models)
    {
        ArgumentNullException.ThrowIfNull(models);
        var summaries = models.Select(m => ModelSummary.From(m, GetFacts(m), GetDigest(m))).ToList();
        var listed = models.Select(m => m.Path).ToHashSet(StringComparer.Ordinal);
        lock (_gate)
        {
            foreach (var stale in _entries.Keys.Where(p => !listed.Contains(p)).ToList())
            {
                _entries.Remove(stale);
                _dirty = true;
            }
        }
        Flush();
        return summaries;
    }

    /// <summary>The cached digest, or null when the file is not hashed yet or changed since.</summary>
    public string? GetDigest(ModelFile model)
    {
        ArgumentNullException.ThrowIfNull(model);
        lock (_gate) return _entries.TryGetValue(model.Path, out var entry) && entry.IsSameFile(model) ? entry.Digest : null;
    }

    /// <summary>Records a digest; dropped when the file changed while it was being hashed, or has no entry yet.</summary>
    public void SetDigest(ModelFile model, string digest)
    {
        ArgumentNullException.ThrowIfNull(model);
        lock (_gate)
        {
            if (!_entries.TryGetValue(model.Path, out var entry) || !entry.IsSameFile(model)) return;
            _entries[model.Path] = entry with { Digest = digest };
            _dirty = true;
        }
    }

    /// <summary>Writes the cache if it changed: to a temp file first, so a crash never leaves half a cache.</summary>
    public void Flush()
    {
        lock (_writeGate)
        {
            FactsCacheDocument document;
            lock (_gate)
            {
                if (!_dirty) return;
                document = new(FactsCacheDocument.CurrentVersion, [.. _entries.Values.OrderBy(e => e.Path, StringComparer.Ordinal)]);
                _dirty = false;
            }
            var temp = $"{CacheFile}.{Guid.NewGuid():N}.tmp";
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(CacheFile)!);
                File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(document, Json));
                File.Move(temp, CacheFile, overwrite: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Log.CacheWriteFailed(_logger, CacheFile, e.Message);
                TryDelete(temp);
                lock (_gate) _dirty = true;
            }
        }
    }

    private bool TryGet(ModelFile model, bool vision, out ModelFacts? facts)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(model.Path, out var entry) && entry.Matches(model, vision))
            {
                facts = entry.Facts;
                return true;
            }
        }
        facts = null;
        return false;
    }

    private void Store(ModelFile model, bool vision, ModelFacts? facts)
    {
        lock (_gate)
        {
            // The digest depends only on the bytes, so it outlives a change of projector.
            var digest = _entries.TryGetValue(model.Path, out var old) && old.IsSameFile(model) ? old.Digest : null;
            _entries[model.Path] = new(model.Path, model.SizeBytes, model.ModifiedAt, vision, facts, digest);
            _dirty = true;
        }
    }

    private Dictionary<string, FactsCacheEntry> Load()
    {
        var entries = new Dictionary<string, FactsCacheEntry>(StringComparer.Ordinal);
        if (!File.Exists(CacheFile)) return entries;
        try
        {
            var document = JsonSerializer.Deserialize<FactsCacheDocument>(File.ReadAllBytes(CacheFile), Json);
            if (document is null || document.Version != FactsCacheDocument.CurrentVersion || document.Entries is null)
            {
                Log.CacheDiscarded(_logger, CacheFile, "unknown version");
                return entries;
            }
            foreach (var entry in document.Entries.Where(e => e is { Path: not null }))
                entries[entry.Path] = entry;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            Log.CacheDiscarded(_logger, CacheFile, e.Message);
            entries.Clear();
        }
        return entries;
    }

    /// <summary>Shards 2…n that exist; they hold only split.* keys and their tensor infos.</summary>
    private List<GgufHeader> ReadOtherShards(ModelFile model) =>
        [.. ModelFileScanner.ShardPaths(model).Skip(1).Where(File.Exists).Select(p => _reader.Read(p, GgufReadOptions.Default))];

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover temp file is harmless.
        }
    }
}
