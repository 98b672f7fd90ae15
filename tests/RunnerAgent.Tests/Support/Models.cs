using LlamaAspire.RunnerAgent.Metadata;
using LlamaAspire.TestSupport;
using LlamaAspire.TestSupport.Models;

namespace LlamaAspire.RunnerAgent.Tests.Support;

/// <summary>Model files for a test, inside its temp directory (whose path marks the processes it starts).</summary>
internal static class Models
{
    public static ModelInfo Chat(TempDirectory dir, string id, int seed = 1)
    {
        var path = TinyModels.WriteChatModel(dir.Combine("models", id + ".gguf"), id, seed);
        return new ModelInfo(id, path, new FileInfo(path).Length);
    }

    /// <summary>An embedding model, with the facts MetadataService gives one.</summary>
    public static ModelInfo Embedding(TempDirectory dir, string id)
    {
        var path = TinyModels.WriteEmbeddingModel(dir.Combine("models", id + ".gguf"), id);
        return new ModelInfo(id, path, new FileInfo(path).Length, new ModelFacts([ModelFacts.EmbeddingCapability]));
    }

    /// <summary>Random bytes: no GGUF magic.</summary>
    public static ModelInfo RandomBytes(TempDirectory dir, string id)
    {
        var path = dir.Combine("models", id + ".gguf");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var bytes = new byte[64 * 1024];
#pragma warning disable CA5394 // Deterministic garbage, not security.
        new Random(7).NextBytes(bytes);
#pragma warning restore CA5394
        File.WriteAllBytes(path, bytes);
        return new ModelInfo(id, path, bytes.Length);
    }

    /// <summary>A valid tiny model cut in half: a good header, missing tensor data.</summary>
    public static ModelInfo Truncated(TempDirectory dir, string id)
    {
        var model = Chat(dir, id);
        using (var file = File.OpenWrite(model.Path)) file.SetLength(model.SizeBytes / 2);
        return model with { SizeBytes = model.SizeBytes / 2 };
    }
}
