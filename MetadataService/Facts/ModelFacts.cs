namespace LlamaAspire.MetadataService.Facts;

/// <summary>What clients ask about a model, derived from its GGUF header by <see cref="ModelFactsBuilder"/>.</summary>
public sealed record ModelFacts
{
    public string? Architecture { get; init; }

    public string? Name { get; init; }

    public string? Basename { get; init; }

    public string? SizeLabel { get; init; }

    /// <summary>general.parameter_count, else the sum of the tensors' element counts over all shards; null without either.</summary>
    public long? ParameterCount { get; init; }

    /// <summary>Tensors in all shards of the model.</summary>
    public int TensorCount { get; init; }

    public uint? FileType { get; init; }

    /// <summary>llama.cpp's short name (Q4_K_M, Q8_0, F16…); null when neither file type nor tensors say.</summary>
    public string? Quantization { get; init; }

    public long? ContextLength { get; init; }

    public long? EmbeddingLength { get; init; }

    public long? BlockCount { get; init; }

    public long? FeedForwardLength { get; init; }

    public long? HeadCount { get; init; }

    /// <summary>The largest value when the file stores one per layer.</summary>
    public long? HeadCountKv { get; init; }

    public long? RopeDimensionCount { get; init; }

    public double? RopeFreqBase { get; init; }

    public string? RopeScalingType { get; init; }

    public double? RopeScalingFactor { get; init; }

    public long? PoolingType { get; init; }

    /// <summary>{arch}.vocab_size, else the length of tokenizer.ggml.tokens.</summary>
    public long? VocabSize { get; init; }

    public string? TokenizerModel { get; init; }

    public string? ChatTemplate { get; init; }

    public bool TemplateSupportsTools { get; init; }

    public bool TemplateSupportsThinking { get; init; }

    public IReadOnlyList<string> Capabilities { get; init; } = [];
}
