using LlamaAspire.MetadataService.Facts;

namespace LlamaAspire.MetadataService.Inspection;

/// <summary>
/// GET /models/{id}: the catalog fields of GET /models, the derived facts and the metadata key/values
/// (arrays as their values, or as an <see cref="ArraySummary"/> when skipped). <see cref="Digest"/> is null while pending;
/// <see cref="ProjectorPath"/> is the model's vision projector (mmproj), if one belongs to it.
/// </summary>
public sealed record ModelDetails(
    string Id,
    string Path,
    long SizeBytes,
    DateTimeOffset ModifiedAt,
    int ShardCount,
    string? Digest,
    uint GgufVersion,
    ModelFacts Facts,
    IReadOnlyDictionary<string, object> Metadata,
    string? ProjectorPath = null);

/// <summary>A large array left unread: its element type and length.</summary>
public sealed record ArraySummary(string ElementType, long Count);
