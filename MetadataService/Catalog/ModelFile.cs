namespace LlamaAspire.MetadataService.Catalog;

/// <summary>
/// A model as found on disk: one GGUF file, or all shards of a split model (<see cref="SizeBytes"/> counts them all).
/// <see cref="HasVisionProjector"/>: an mmproj*.gguf in its folder belongs to it (see <see cref="ProjectorMatcher"/>), at
/// <see cref="ProjectorPath"/>.
/// </summary>
public sealed record ModelFile(
    string Id, string Path, long SizeBytes, DateTimeOffset ModifiedAt, int ShardCount, bool HasVisionProjector = false, string? ProjectorPath = null);
