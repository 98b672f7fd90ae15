using LlamaAspire.RunnerAgent.Metadata;
using LlamaAspire.RunnerAgent.Scheduling;

namespace LlamaAspire.RunnerAgent.Tests.Scheduling;

public sealed class MemoryTests
{
    private const long GiB = 1024L * 1024 * 1024;

    [Fact]
    public void For_Llama3Shape_AddsTheF16KvCacheToTheWeights()
    {
        // Llama 3 8B: 32 layers, 4096 embedding, 32 heads, 8 KV heads: 128 KiB of KV per token.
        var model = new ModelInfo("llama3", "/m.gguf", 4_920_000_000, new ModelFacts([], 8192, BlockCount: 32, EmbeddingLength: 4096, HeadCount: 32, HeadCountKv: 8));

        Assert.Equal(4_920_000_000 + (8192L * 128 * 1024), MemoryEstimate.For(model, 8192));
    }

    [Fact]
    public void For_NoKvHeadCount_UsesTheHeadCount()
    {
        var facts = new ModelFacts([], BlockCount: 2, EmbeddingLength: 64, HeadCount: 4);

        Assert.Equal(2 * 2 * 4 * 16 * 100 * 2, MemoryEstimate.KvCacheBytes(facts, 100));
    }

    [Fact]
    public void For_NoShape_IsTheFileSize()
    {
        Assert.Equal(1234, MemoryEstimate.For(new ModelInfo("x", "/x.gguf", 1234), 4096));
    }

    [Fact]
    public void Resolve_Configured_WinsOverEverything()
    {
        var budget = MemoryBudget.Resolve(2048, () => 80 * GiB, () => 64 * GiB);

        Assert.Equal((2048L * 1024 * 1024, "configured"), (budget.Bytes, budget.Source));
    }

    [Fact]
    public void Resolve_GpuAnswers_UsesGpuMemoryLessAMargin()
    {
        var budget = MemoryBudget.Resolve(null, () => 24 * GiB, () => 64 * GiB);

        Assert.Equal(24 * GiB - (24 * GiB / 10), budget.Bytes);
        Assert.Contains("nvidia-smi", budget.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_NoGpu_UsesSystemMemoryLessAtLeastOneGiB()
    {
        Assert.Equal(7 * GiB, MemoryBudget.Resolve(null, () => null, () => 8 * GiB).Bytes);
        Assert.Equal(54 * GiB - (54 * GiB / 10), MemoryBudget.Resolve(null, () => null, () => 54 * GiB).Bytes);
    }

    [Fact]
    public void Resolve_OnThisMachine_IsPositiveAndBelowPhysicalMemory()
    {
        var budget = MemoryBudget.Resolve(null);

        Assert.InRange(budget.Bytes, 1, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);
    }
}
