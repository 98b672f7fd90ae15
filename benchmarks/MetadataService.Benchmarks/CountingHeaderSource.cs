using LlamaAspire.MetadataService.Catalog;
using LlamaAspire.MetadataService.Gguf;

namespace LlamaAspire.MetadataService.Benchmarks;

/// <summary>Reads real files and counts the reads, so a warm restart can prove it read no header.</summary>
internal sealed class CountingHeaderSource : IGgufHeaderSource
{
    private int _reads;

    public int Reads => _reads;

    public GgufHeader Read(string path, GgufReadOptions options)
    {
        Interlocked.Increment(ref _reads);
        return GgufReader.ReadFile(path, options);
    }
}
