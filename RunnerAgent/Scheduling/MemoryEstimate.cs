using LlamaAspire.RunnerAgent.Metadata;

namespace LlamaAspire.RunnerAgent.Scheduling;

/// <summary>
/// What a loaded model costs: its weights (the files' size) plus an f16 KV cache of
/// 2 · n_layer · n_head_kv · head_dim · ctx · 2 bytes. Compute buffers are left out; the budget's margin covers them.
/// </summary>
public static class MemoryEstimate
{
    private const long BytesPerKvElement = 2;

    public static long For(ModelInfo model, int contextLength) => model.SizeBytes + KvCacheBytes(model.Facts, contextLength);

    public static long KvCacheBytes(ModelFacts? facts, int contextLength)
    {
        if (facts is not { BlockCount: > 0 and var layers, EmbeddingLength: > 0 and var embedding, HeadCount: > 0 and var heads }) return 0;
        var kvHeads = facts.HeadCountKv is > 0 and var kv ? kv : heads;
        var headDimension = embedding / heads;
        return checked(2 * layers * kvHeads * headDimension * contextLength * BytesPerKvElement);
    }
}
