using BenchmarkDotNet.Attributes;
using LlamaAspire.MetadataService.Catalog;
using LlamaAspire.TestSupport;
using LlamaAspire.TestSupport.Gguf;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlamaAspire.MetadataService.Benchmarks;

/// <summary>
/// A restart over 1000 unchanged models: load the persistent facts cache, scan the folders, list the catalog.
/// No header may be read; the setup fails the run if one is.
/// </summary>
[MemoryDiagnoser]
public class CatalogRestartBenchmarks : IDisposable
{
    public const int ModelCount = 1000;

    private TempDirectory? _dir;
    private ModelFileScanner? _scanner;
    private string _cacheFile = "";
    private readonly CountingHeaderSource _source = new();

    [GlobalSetup]
    public void Setup()
    {
        _dir = new TempDirectory("bench-catalog");
        // LM Studio's layout: publisher/model/file, 10 publishers of 100 models.
        for (var i = 0; i < ModelCount; i++)
        {
            var path = _dir.Combine("models", $"publisher{i / 100:D2}", $"model{i:D4}", $"model{i:D4}-Q4_K_M.gguf");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            TinyModel(i).WriteToFile(path);
        }

        _scanner = new ModelFileScanner(
            new StaticOptionsMonitor<MetadataOptions>(new MetadataOptions
            {
                ModelDirs = [_dir.Combine("models")], DiscoverLmStudio = false, DiscoverLlamaCppCache = false, DiscoverOllama = false,
            }),
            NullLogger<ModelFileScanner>.Instance);
        _cacheFile = CatalogPaths.FactsCacheFile(_dir.Combine("home"));
        var cold = new CountingHeaderSource();
        var listed = new ModelCatalog(_scanner, new FactsCache(_cacheFile, cold, NullLogger<FactsCache>.Instance)).Refresh();
        if (listed.Count != ModelCount || cold.Reads != ModelCount || listed.Any(m => m.Facts is null))
            throw new InvalidOperationException($"cold build listed {listed.Count} models with {cold.Reads} header reads");
    }

    [Benchmark]
    public int WarmRestart()
    {
        var catalog = new ModelCatalog(_scanner!, new FactsCache(_cacheFile, _source, NullLogger<FactsCache>.Instance));
        return catalog.List().Count;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Dispose();
        if (_source.Reads != 0) throw new InvalidOperationException($"a warm restart read {_source.Reads} headers");
    }

    public void Dispose()
    {
        _dir?.Dispose();
        _dir = null;
        GC.SuppressFinalize(this);
    }

    private static GgufWriter TinyModel(int i) => new GgufWriter()
        .Add("general.architecture", "llama")
        .Add("general.name", $"model {i}")
        .Add("general.file_type", 15u)
        .Add("llama.context_length", 4096u)
        .Add("llama.embedding_length", 64u)
        .Add("llama.block_count", 2u)
        .Add("llama.attention.head_count", 4u)
        .Add("tokenizer.ggml.model", "gpt2")
        .Add("tokenizer.chat_template", "{% for m in messages %}{{ m['content'] }}{% endfor %}")
        .AddTensor("token_embd.weight", [64, 256], GgmlType.Q4_K, [])
        .AddTensor("output.weight", [64, 256], GgmlType.Q6_K, []);
}
