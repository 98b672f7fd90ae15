using LlamaAspire.MetadataService.Facts;

namespace LlamaAspire.MetadataService.Catalog;

/// <summary>
/// A GET /models entry: the file fields, the cached facts (null when the header is unreadable)
/// and the digest (null while the background worker has not hashed the file yet). <see cref="ProjectorPath"/> is the
/// vision projector that belongs to the model, for llama-server's --mmproj.
/// </summary>
public sealed record ModelSummary(
    string Id, string Path, long SizeBytes, DateTimeOffset ModifiedAt, int ShardCount, string? Digest, ModelFacts? Facts, string? ProjectorPath = null)
{
    public static ModelSummary From(ModelFile model, ModelFacts? facts, string? digest)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new(model.Id, model.Path, model.SizeBytes, model.ModifiedAt, model.ShardCount, digest, facts, model.ProjectorPath);
    }
}
