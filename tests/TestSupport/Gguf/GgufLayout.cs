namespace LlamaAspire.TestSupport.Gguf;

/// <summary>
/// Absolute byte positions of a written file's sections; tensor offsets are relative to <see cref="DataStart"/>.
/// Without tensor data the file ends at <see cref="TensorInfosEnd"/> and DataStart is where data would begin.
/// </summary>
public sealed record GgufLayout(
    long HeaderEnd,
    long MetadataEnd,
    long TensorInfosEnd,
    long DataStart,
    IReadOnlyList<ulong> TensorOffsets,
    long Length);
