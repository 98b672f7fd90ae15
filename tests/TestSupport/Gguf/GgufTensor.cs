namespace LlamaAspire.TestSupport.Gguf;

/// <summary>
/// A tensor info plus its data. <see cref="Dimensions"/> are fastest-varying first, as GGUF stores them.
/// A null <see cref="Offset"/> lets the writer place the data aligned; a value is written as given.
/// </summary>
public sealed record GgufTensor(string Name, IReadOnlyList<ulong> Dimensions, GgmlType Type, ReadOnlyMemory<byte> Data, ulong? Offset = null)
{
    public ulong ElementCount => Dimensions.Aggregate(1UL, (product, dim) => product * dim);
}
