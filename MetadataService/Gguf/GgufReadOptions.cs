namespace LlamaAspire.MetadataService.Gguf;

/// <summary>What the reader keeps and the caps it enforces on hostile input.</summary>
public sealed record GgufReadOptions
{
    public static GgufReadOptions Default { get; } = new();

    /// <summary>Everything, big arrays included.</summary>
    public static GgufReadOptions Full { get; } = new() { ReadLargeArrays = true };

    /// <summary>When false, arrays longer than <see cref="LargeArrayThreshold"/> are skipped and only summarized.</summary>
    public bool ReadLargeArrays { get; init; }

    public int LargeArrayThreshold { get; init; } = 1024;

    public long MaxStringLength { get; init; } = 64L << 20;

    public int MaxKeyLength { get; init; } = 65535;

    public int MaxTensorNameLength { get; init; } = 4096;

    public long MaxArrayCount { get; init; } = 16L << 20;

    public long MaxMetadataCount { get; init; } = 1 << 20;

    public long MaxTensorCount { get; init; } = 1 << 22;

    /// <summary>Arrays of arrays recurse; the cap keeps a crafted file from exhausting the stack.</summary>
    public int MaxArrayNesting { get; init; } = 16;

    /// <summary>
    /// Strings looked for in the skipped string array <see cref="ProbedKey"/> without allocating, e.g. FIM tokens;
    /// the ones found are listed in <see cref="GgufHeader.FoundProbes"/>.
    /// </summary>
    public IReadOnlyList<string> Probes { get; init; } = [];

    /// <summary>The array <see cref="Probes"/> are looked for in; other skipped arrays (merges…) are walked without comparing.</summary>
    public string ProbedKey { get; init; } = "tokenizer.ggml.tokens";
}
