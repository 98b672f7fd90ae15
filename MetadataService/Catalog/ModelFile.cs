namespace LlamaAspire.MetadataService.Catalog;

/// <summary>A model as found on disk: one GGUF file, or all shards of a split model.</summary>
public sealed record ModelFile(string Id, string Path, long SizeBytes, DateTimeOffset ModifiedAt, int ShardCount);
