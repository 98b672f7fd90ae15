namespace LlamaAspire.MetadataService.Aliases;

/// <summary>Another name for a catalogued model (Ollama's /api/copy): <see cref="Target"/> is the model's catalog id.</summary>
public sealed record ModelAlias(string Name, string Target, DateTimeOffset CreatedAt);

/// <summary>PUT /aliases/{name}: the catalog id the name should stand for.</summary>
public sealed record AliasTarget(string? Target);
