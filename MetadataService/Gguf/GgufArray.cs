namespace LlamaAspire.MetadataService.Gguf;

/// <summary>
/// An array value. <see cref="Values"/> is a typed CLR array (byte[], string[], GgufArray[] for nested arrays…),
/// or null when the array was skipped as large: then only its element type and count are known.
/// </summary>
public sealed record GgufArray(GgufValueType ElementType, long Count, Array? Values)
{
    public bool IsSkipped => Values is null;
}
