using LlamaAspire.MetadataService.Gguf;

namespace LlamaAspire.MetadataService.Facts;

/// <summary>Derives <see cref="ModelFacts"/> from a parsed header. Pure: no I/O.</summary>
public static class ModelFactsBuilder
{
    /// <summary>Architectures that only encode, so they embed even without a pooling_type key.</summary>
    private static readonly HashSet<string> EncoderArchitectures = new(StringComparer.Ordinal)
    {
        "bert", "nomic-bert", "nomic-bert-moe", "jina-bert-v2", "jina-bert-v3", "neo-bert", "modern-bert", "eurobert", "t5encoder",
    };

    /// <summary>Prefix/suffix token pairs of the FIM conventions in use (Qwen, StarCoder/Refact, DeepSeek-Coder, CodeLlama).</summary>
    private static readonly (string Prefix, string Suffix)[] FimTokenPairs =
    [
        ("<|fim_prefix|>", "<|fim_suffix|>"),
        ("<fim_prefix>", "<fim_suffix>"),
        ("<fim-prefix>", "<fim-suffix>"),
        ("<｜fim▁begin｜>", "<｜fim▁hole｜>"),
        ("▁<PRE>", "▁<SUF>"),
    ];

    private static readonly string[] FimIdKeys =
    [
        "tokenizer.ggml.fim_pre_token_id", "tokenizer.ggml.fim_suf_token_id",
        "tokenizer.ggml.prefix_token_id", "tokenizer.ggml.suffix_token_id",
    ];

    /// <summary>Pass as <see cref="GgufReadOptions.Probes"/> so FIM tokens are found in a skipped vocabulary.</summary>
    public static IReadOnlyList<string> FimProbes { get; } = [.. FimTokenPairs.SelectMany(p => new[] { p.Prefix, p.Suffix })];

    /// <summary>Read options for facts: big arrays skipped, FIM tokens probed.</summary>
    public static GgufReadOptions ReadOptions { get; } = new() { Probes = FimProbes };

    /// <param name="header">The parsed header; of shard 1 for a split model, which holds all metadata.</param>
    /// <param name="hasVisionProjector">An mmproj*.gguf beside the model belongs to it.</param>
    /// <param name="otherShards">The headers of shards 2…n, whose tensors count towards the parameters and quantization.</param>
    public static ModelFacts Build(GgufHeader header, bool hasVisionProjector = false, IReadOnlyList<GgufHeader>? otherShards = null)
    {
        ArgumentNullException.ThrowIfNull(header);
        IReadOnlyList<GgufTensorInfo> tensors = otherShards is { Count: > 0 } ? [.. header.Tensors, .. otherShards.SelectMany(s => s.Tensors)] : header.Tensors;
        var arch = header.GetString("general.architecture");
        long? ArchInt(string suffix) => arch is null ? null : header.GetInteger($"{arch}.{suffix}");
        double? ArchNumber(string suffix) => arch is null ? null : header.GetNumber($"{arch}.{suffix}");

        var template = header.GetString("tokenizer.chat_template");
        var fileType = header.GetInteger("general.file_type") is { } ft and >= 0 and <= uint.MaxValue ? (uint?)ft : null;
        var pooling = ArchInt("pooling_type");
        var facts = new ModelFacts
        {
            Architecture = arch,
            Name = header.GetString("general.name"),
            Basename = header.GetString("general.basename"),
            SizeLabel = header.GetString("general.size_label"),
            ParameterCount = header.GetInteger("general.parameter_count") ?? SumOfTensorElements(tensors),
            TensorCount = tensors.Count,
            FileType = fileType,
            Quantization = fileType is { } type ? QuantizationNames.ForFileType(type) : DominantTensorType(tensors),
            ContextLength = ArchInt("context_length"),
            EmbeddingLength = ArchInt("embedding_length"),
            BlockCount = ArchInt("block_count"),
            FeedForwardLength = ArchInt("feed_forward_length"),
            HeadCount = ArchInt("attention.head_count"),
            HeadCountKv = ArchInt("attention.head_count_kv") ?? MaxOfArray(header, $"{arch}.attention.head_count_kv"),
            RopeDimensionCount = ArchInt("rope.dimension_count"),
            RopeFreqBase = ArchNumber("rope.freq_base"),
            RopeScalingType = arch is null ? null : header.GetString($"{arch}.rope.scaling.type"),
            RopeScalingFactor = ArchNumber("rope.scaling.factor"),
            PoolingType = pooling,
            VocabSize = ArchInt("vocab_size") ?? header.GetArray("tokenizer.ggml.tokens")?.Count,
            TokenizerModel = header.GetString("tokenizer.ggml.model"),
            ChatTemplate = template,
            TemplateSupportsTools = ChatTemplateTraits.SupportsTools(template),
            TemplateSupportsThinking = ChatTemplateTraits.SupportsThinking(template),
        };
        return facts with { Capabilities = Capabilities(header, facts, hasVisionProjector) };
    }

    private static List<string> Capabilities(GgufHeader header, ModelFacts facts, bool hasVisionProjector)
    {
        var embedding = facts.PoolingType is { } p and not 0
            || (facts.Architecture is { } a && EncoderArchitectures.Contains(a));
        List<string> capabilities = [embedding ? ModelCapabilities.Embedding : ModelCapabilities.Completion];
        if (facts.TemplateSupportsTools) capabilities.Add(ModelCapabilities.Tools);
        if (hasVisionProjector || header.GetBool("clip.has_vision_encoder") == true) capabilities.Add(ModelCapabilities.Vision);
        if (facts.TemplateSupportsThinking) capabilities.Add(ModelCapabilities.Thinking);
        if (!embedding && HasFimTokens(header)) capabilities.Add(ModelCapabilities.Insert);
        return capabilities;
    }

    private static bool HasFimTokens(GgufHeader header)
    {
        if ((header.Contains(FimIdKeys[0]) && header.Contains(FimIdKeys[1])) || (header.Contains(FimIdKeys[2]) && header.Contains(FimIdKeys[3])))
            return true;
        var tokens = header.GetArray("tokenizer.ggml.tokens")?.Values as string[];
        var known = tokens is null ? header.FoundProbes : tokens.ToHashSet(StringComparer.Ordinal);
        return FimTokenPairs.Any(pair => known.Contains(pair.Prefix) && known.Contains(pair.Suffix));
    }

    private static long? SumOfTensorElements(IReadOnlyList<GgufTensorInfo> tensors)
    {
        if (tensors.Count == 0) return null;
        long total = 0;
        foreach (var tensor in tensors) total = SaturatingAdd(total, tensor.ElementCount);
        return total;
    }

    /// <summary>The quantized type holding the most elements; F32 (norms, biases) only when nothing else is there.</summary>
    private static string? DominantTensorType(IReadOnlyList<GgufTensorInfo> tensors)
    {
        if (tensors.Count == 0) return null;
        var byType = new Dictionary<uint, long>();
        foreach (var tensor in tensors)
            byType[tensor.GgmlType] = SaturatingAdd(byType.GetValueOrDefault(tensor.GgmlType), tensor.ElementCount);
        var candidates = byType.Count > 1 ? byType.Where(kv => kv.Key != 0) : byType;
        return QuantizationNames.ForGgmlType(candidates.MaxBy(kv => kv.Value).Key);
    }

    private static long? MaxOfArray(GgufHeader header, string key) => header.GetArray(key)?.Values switch
    {
        uint[] { Length: > 0 } values => values.Max(),
        int[] { Length: > 0 } values => values.Max(),
        ulong[] { Length: > 0 } values => (long)Math.Min(values.Max(), long.MaxValue),
        long[] { Length: > 0 } values => values.Max(),
        _ => null,
    };

    private static long SaturatingAdd(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;
}
