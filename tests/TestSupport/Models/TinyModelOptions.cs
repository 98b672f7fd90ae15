namespace LlamaAspire.TestSupport.Models;

/// <summary>Shape and metadata of a generated llama-architecture model. Defaults give a ~0.5 MB chat model.</summary>
public sealed record TinyModelOptions
{
    public string Name { get; init; } = "tiny-llama";

    /// <summary>Seeds the weights; the same options always produce the same bytes.</summary>
    public int Seed { get; init; } = 1;

    public int EmbeddingLength { get; init; } = 64;

    public int BlockCount { get; init; } = 2;

    public int HeadCount { get; init; } = 4;

    public int HeadCountKv { get; init; } = 4;

    public int FeedForwardLength { get; init; } = 128;

    public int ContextLength { get; init; } = 4096;

    public float RopeFreqBase { get; init; } = 10000f;

    public float RmsNormEpsilon { get; init; } = 1e-5f;

    /// <summary>Weights are uniform in ±WeightScale: small enough to stay finite, large enough to vary the output.</summary>
    public float WeightScale { get; init; } = 0.08f;

    /// <summary>llama.pooling_type; 1 (mean) makes an embedding model. Null leaves the key out.</summary>
    public int? PoolingType { get; init; }

    /// <summary>tokenizer.chat_template; null leaves the key out.</summary>
    public string? ChatTemplate { get; init; } = TinyModels.ChatMlTemplate;

    public string? Basename { get; init; } = "tiny-llama";

    public string? SizeLabel { get; init; } = "300K";
}
