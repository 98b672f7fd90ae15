using BenchmarkDotNet.Attributes;
using LlamaAspire.MetadataService.Facts;
using LlamaAspire.MetadataService.Gguf;

namespace LlamaAspire.MetadataService.Benchmarks;

/// <summary>Header parses of ggml-vocab-llama-bpe.gguf (128k tokens, 280k merges), from the file each time.</summary>
[MemoryDiagnoser]
public class ParseBenchmarks
{
    private string _path = "";

    [GlobalSetup]
    public void Setup() => _path = VocabFile.FromEnvironment();

    /// <summary>Every key/value, all strings of the big arrays decoded.</summary>
    [Benchmark]
    public GgufHeader FullParse() => GgufReader.ReadFile(_path, GgufReadOptions.Full);

    /// <summary>What the catalog reads for a new file: big arrays skipped (walked, not decoded), then the facts derived.</summary>
    [Benchmark]
    public ModelFacts FactsOnly() => ModelFactsBuilder.Build(GgufReader.ReadFile(_path, ModelFactsBuilder.ReadOptions));
}
