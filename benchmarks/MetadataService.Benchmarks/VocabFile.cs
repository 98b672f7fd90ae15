using LlamaAspire.TestSupport.LlamaServer;

namespace LlamaAspire.MetadataService.Benchmarks;

/// <summary>The large-vocabulary file llama.cpp ships, from the llama-server build cache or a --vocab folder.</summary>
internal static class VocabFile
{
    public const string Name = "ggml-vocab-llama-bpe.gguf";

    /// <summary>Passes the resolved path to the benchmark child processes.</summary>
    public const string Variable = "LLAMA_ASPIRE_BENCH_VOCAB";

    public static string Resolve(string? vocabDir)
    {
        var dir = vocabDir
            ?? (LlamaServerLocator.TryFind() is { } server ? Path.Combine(Path.GetDirectoryName(server)!, "..", "vocab") : null)
            ?? throw new InvalidOperationException("llama-server's build cache was not found; run scripts/build-llama-server.sh or pass --vocab DIR.");
        var path = Path.GetFullPath(Path.Combine(dir, Name));
        return File.Exists(path) ? path : throw new FileNotFoundException($"{Name} is not in {dir}; pass --vocab DIR.", path);
    }

    public static string FromEnvironment() =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } path ? path : Resolve(null);
}
