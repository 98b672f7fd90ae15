using LlamaAspire.MetadataService.Facts;

namespace LlamaAspire.MetadataService.Catalog;

/// <summary>
/// One cached model, valid while its path, size, mtime and projector presence are unchanged.
/// <see cref="Digest"/> ("sha256:…") is null until the background worker has hashed the file.
/// </summary>
public sealed record FactsCacheEntry(
    string Path, long SizeBytes, DateTimeOffset ModifiedAt, bool HasVisionProjector, ModelFacts? Facts, string? Digest = null)
{
    public bool IsSameFile(ModelFile model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return SizeBytes == model.SizeBytes && ModifiedAt.UtcTicks == model.ModifiedAt.UtcTicks;
    }

    public bool Matches(ModelFile model, bool hasVisionProjector)
    {
        ArgumentNullException.ThrowIfNull(model);
        return IsSameFile(model) && HasVisionProjector == hasVisionProjector;
    }
}

/// <summary>The cache file's shape; a different version is discarded and rebuilt.</summary>
public sealed record FactsCacheDocument(int Version, IReadOnlyList<FactsCacheEntry> Entries)
{
    // 2: facts of split models count all shards' tensors; TensorCount.
    public const int CurrentVersion = 2;
}
