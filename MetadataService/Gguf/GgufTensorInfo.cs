namespace LlamaAspire.MetadataService.Gguf;

/// <summary>A tensor's description; <see cref="Offset"/> is relative to the header's data offset.</summary>
public sealed record GgufTensorInfo(string Name, IReadOnlyList<ulong> Dimensions, uint GgmlType, ulong Offset)
{
    /// <summary>The product of the dimensions; the reader has checked it fits a long.</summary>
    public long ElementCount
    {
        get
        {
            long count = 1;
            foreach (var dim in Dimensions) count *= (long)dim;
            return count;
        }
    }
}
