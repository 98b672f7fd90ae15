namespace LlamaAspire.MetadataService.Inspection;

/// <summary>GET /models/{id}/tensors. Offsets are relative to <see cref="DataOffset"/>; split models list shard 1 only.</summary>
public sealed record ModelTensors(string Id, uint Alignment, long DataOffset, IReadOnlyList<TensorSummary> Tensors);

public sealed record TensorSummary(string Name, IReadOnlyList<ulong> Dimensions, string Type, uint GgmlType, ulong Offset, long ElementCount);
