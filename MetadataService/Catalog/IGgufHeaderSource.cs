using LlamaAspire.MetadataService.Gguf;

namespace LlamaAspire.MetadataService.Catalog;

/// <summary>Where headers come from; a seam so tests can count the reads the cache saves.</summary>
public interface IGgufHeaderSource
{
    /// <exception cref="GgufFormatException">The file is not a readable GGUF file.</exception>
    GgufHeader Read(string path, GgufReadOptions options);
}

public sealed class GgufFileHeaderSource : IGgufHeaderSource
{
    public GgufHeader Read(string path, GgufReadOptions options) => GgufReader.ReadFile(path, options);
}
