using LlamaAspire.MetadataService.Catalog;
using LlamaAspire.MetadataService.Tests.Support;
using LlamaAspire.TestSupport;
using LlamaAspire.TestSupport.Gguf;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlamaAspire.MetadataService.Tests.Catalog;

/// <summary>A model split by gguf-split: metadata in shard 1 only, tensors spread over all shards.</summary>
public sealed class SplitModelTests : IDisposable
{
    private readonly TempDirectory _dir = new("split");

    public void Dispose() => _dir.Dispose();

    private string Models => _dir.Combine("models");

    [Fact]
    public void List_SplitModelWithoutParameterCount_SumsTensorsAndSizesOfAllShards()
    {
        var paths = WriteShards(parameterCount: null);

        var summary = Assert.Single(NewCatalog().List());

        Assert.Equal("big", summary.Id);
        Assert.Equal(3, summary.ShardCount);
        Assert.Equal(paths.Sum(p => new FileInfo(p).Length), summary.SizeBytes);
        Assert.Equal("llama", summary.Facts!.Architecture);
        Assert.Equal("big model", summary.Facts.Name);
        Assert.Equal(4, summary.Facts.TensorCount);
        Assert.Equal((4 * 8) + (8 * 8) + (2 * 8) + 8, summary.Facts.ParameterCount);
        Assert.Equal("Q8_0", summary.Facts.Quantization);
    }

    [Fact]
    public void List_SplitModelWithParameterCount_KeepsTheStoredCount()
    {
        WriteShards(parameterCount: 1234L);

        var summary = Assert.Single(NewCatalog().List());

        Assert.Equal(1234L, summary.Facts!.ParameterCount);
        Assert.Equal(4, summary.Facts.TensorCount);
    }

    private ModelCatalog NewCatalog() => new(
        Scanners.For(Models),
        new FactsCache(CatalogPaths.FactsCacheFile(_dir.Combine("home")), new GgufFileHeaderSource(), NullLogger<FactsCache>.Instance));

    /// <summary>Shard 1: all metadata and one F32 tensor; shards 2 and 3: split keys and Q8_0 tensors (the bulk).</summary>
    private string[] WriteShards(long? parameterCount)
    {
        Directory.CreateDirectory(Models);
        var first = Shard(0).Add("general.architecture", "llama").Add("general.name", "big model")
            .AddTensor("output_norm.weight", [8], new float[8]);
        if (parameterCount is { } count) first.Add("general.parameter_count", (ulong)count);
        var shards = new[]
        {
            first,
            Shard(1).AddTensor("blk.0.attn_q.weight", [4, 8], GgmlType.Q8_0, []).AddTensor("blk.0.attn_k.weight", [8, 8], GgmlType.Q8_0, []),
            Shard(2).AddTensor("blk.1.attn_q.weight", [2, 8], GgmlType.Q8_0, []),
        };
        var paths = new string[shards.Length];
        for (var i = 0; i < shards.Length; i++)
        {
            paths[i] = Path.Combine(Models, $"big-{i + 1:D5}-of-00003.gguf");
            shards[i].WriteToFile(paths[i]);
        }

        return paths;
    }

    private static GgufWriter Shard(int index) => new GgufWriter()
        .Add("split.no", (ushort)index).Add("split.count", (ushort)3).Add("split.tensors.count", 4);
}
