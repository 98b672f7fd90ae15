using System.Text.Json;

namespace LlamaAspire.Gateway.Ollama;

/// <summary>
/// A MetadataService GET /models entry as the Ollama surface reads it. <see cref="Digest"/> is "sha256:&lt;hex&gt;", or null
/// while the file is still being hashed; <see cref="Facts"/> is null when the GGUF header is unreadable. An alias (made by
/// /api/copy) is listed as its own entry named <see cref="Id"/>, with its target's file and facts and
/// <see cref="AliasOf"/> set to the target's catalog id.
/// </summary>
public sealed record CatalogEntry(string Id, string Path, long SizeBytes, DateTimeOffset ModifiedAt, string? Digest, CatalogFacts? Facts, string? AliasOf = null)
{
    /// <summary>The id MetadataService and the RunnerAgent know the model by.</summary>
    public string CatalogId => AliasOf ?? Id;
}

/// <summary>A MetadataService GET /aliases entry: <see cref="Target"/> is a catalog id.</summary>
public sealed record CatalogAlias(string Name, string Target, DateTimeOffset CreatedAt);

/// <summary>The facts MetadataService derives from a GGUF header; <see cref="Capabilities"/> already uses Ollama's names.</summary>
public sealed record CatalogFacts(
    string? Architecture,
    long? ParameterCount,
    string? Quantization,
    long? ContextLength,
    long? EmbeddingLength,
    string? ChatTemplate,
    IReadOnlyList<string>? Capabilities);

/// <summary>
/// MetadataService GET /models/{id}: the entry plus every GGUF key/value. Without ?full=true large arrays arrive as
/// {"elementType","count"} objects instead of their values.
/// </summary>
public sealed record CatalogModelDetails(
    string Id,
    string Path,
    long SizeBytes,
    DateTimeOffset ModifiedAt,
    string? Digest,
    CatalogFacts? Facts,
    IReadOnlyDictionary<string, JsonElement>? Metadata)
{
    public CatalogEntry Entry => new(Id, Path, SizeBytes, ModifiedAt, Digest, Facts);
}
