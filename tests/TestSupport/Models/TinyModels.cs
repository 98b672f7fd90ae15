using LlamaAspire.TestSupport.Gguf;

namespace LlamaAspire.TestSupport.Models;

/// <summary>Writes tiny, valid llama-architecture GGUF models with seeded random F32 weights.</summary>
public static class TinyModels
{
    public const string ChatMlTemplate =
        "{% for message in messages %}"
        + "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
        + "{% endfor %}"
        + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    /// <summary>Mean pooling (llama.pooling_type = 1).</summary>
    public const int MeanPooling = 1;

    public static TinyModelOptions ChatOptions(string? name = null, int seed = 1) =>
        new() { Name = name ?? "tiny-llama-chat", Seed = seed };

    public static TinyModelOptions EmbeddingOptions(string? name = null, int seed = 1) =>
        new() { Name = name ?? "tiny-llama-embed", Seed = seed, PoolingType = MeanPooling, Basename = "tiny-llama-embed" };

    public static string WriteChatModel(string path, string? name = null, int seed = 1) =>
        Write(path, ChatOptions(name, seed));

    public static string WriteEmbeddingModel(string path, string? name = null, int seed = 1) =>
        Write(path, EmbeddingOptions(name, seed));

    /// <summary>Writes the model and returns <paramref name="path"/>, creating its directory if needed.</summary>
    public static string Write(string path, TinyModelOptions options)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        CreateWriter(options).WriteToFile(path);
        return path;
    }

    /// <summary>The populated writer, for tests that want to add, override or corrupt something first.</summary>
    public static GgufWriter CreateWriter(TinyModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var writer = new GgufWriter();
        AddMetadata(writer, options);
        AddTensors(writer, options);
        return writer;
    }

    private static void AddMetadata(GgufWriter writer, TinyModelOptions o)
    {
        writer.Add("general.architecture", "llama")
            .Add("general.type", "model")
            .Add("general.name", o.Name);
        if (o.Basename is not null) writer.Add("general.basename", o.Basename);
        if (o.SizeLabel is not null) writer.Add("general.size_label", o.SizeLabel);
        writer.Add("general.file_type", 0u)
            .Add("llama.vocab_size", (uint)TinyVocabulary.Count)
            .Add("llama.context_length", (uint)o.ContextLength)
            .Add("llama.embedding_length", (uint)o.EmbeddingLength)
            .Add("llama.block_count", (uint)o.BlockCount)
            .Add("llama.feed_forward_length", (uint)o.FeedForwardLength)
            .Add("llama.attention.head_count", (uint)o.HeadCount)
            .Add("llama.attention.head_count_kv", (uint)o.HeadCountKv)
            .Add("llama.attention.layer_norm_rms_epsilon", o.RmsNormEpsilon)
            .Add("llama.rope.dimension_count", (uint)(o.EmbeddingLength / o.HeadCount))
            .Add("llama.rope.freq_base", o.RopeFreqBase);
        if (o.PoolingType is { } pooling) writer.Add("llama.pooling_type", (uint)pooling);

        writer.Add("tokenizer.ggml.model", "llama")
            .Add("tokenizer.ggml.tokens", TinyVocabulary.Tokens.ToArray())
            .Add("tokenizer.ggml.scores", TinyVocabulary.Scores())
            .Add("tokenizer.ggml.token_type", TinyVocabulary.TokenTypes())
            .Add("tokenizer.ggml.bos_token_id", (uint)TinyVocabulary.BosId)
            .Add("tokenizer.ggml.eos_token_id", (uint)TinyVocabulary.EosId)
            .Add("tokenizer.ggml.unknown_token_id", (uint)TinyVocabulary.UnknownId)
            .Add("tokenizer.ggml.add_bos_token", true)
            .Add("tokenizer.ggml.add_eos_token", false);
        if (o.ChatTemplate is not null) writer.Add("tokenizer.chat_template", o.ChatTemplate);
    }

    private static void AddTensors(GgufWriter writer, TinyModelOptions o)
    {
        var random = new Random(o.Seed);
        var embd = (ulong)o.EmbeddingLength;
        var vocab = (ulong)TinyVocabulary.Count;
        var ff = (ulong)o.FeedForwardLength;
        var headDim = (ulong)(o.EmbeddingLength / o.HeadCount);
        var q = headDim * (ulong)o.HeadCount;
        var kv = headDim * (ulong)o.HeadCountKv;

        void Weights(string name, params ulong[] dims) => writer.AddTensor(name, dims, RandomFloats(random, dims, o.WeightScale));
        void Norm(string name) => writer.AddTensor(name, [embd], Ones((int)embd));

        Weights("token_embd.weight", embd, vocab);
        Norm("output_norm.weight");
        Weights("output.weight", embd, vocab);
        for (var i = 0; i < o.BlockCount; i++)
        {
            Norm($"blk.{i}.attn_norm.weight");
            Weights($"blk.{i}.attn_q.weight", embd, q);
            Weights($"blk.{i}.attn_k.weight", embd, kv);
            Weights($"blk.{i}.attn_v.weight", embd, kv);
            Weights($"blk.{i}.attn_output.weight", q, embd);
            Norm($"blk.{i}.ffn_norm.weight");
            Weights($"blk.{i}.ffn_gate.weight", embd, ff);
            Weights($"blk.{i}.ffn_up.weight", embd, ff);
            Weights($"blk.{i}.ffn_down.weight", ff, embd);
        }
    }

    private static float[] RandomFloats(Random random, ulong[] dims, float scale)
    {
        var count = (int)dims.Aggregate(1UL, (product, dim) => product * dim);
        var values = new float[count];
#pragma warning disable CA5394 // Deterministic test weights, not security.
        for (var i = 0; i < count; i++) values[i] = ((random.NextSingle() * 2f) - 1f) * scale;
#pragma warning restore CA5394
        return values;
    }

    private static float[] Ones(int count)
    {
        var values = new float[count];
        Array.Fill(values, 1f);
        return values;
    }
}
