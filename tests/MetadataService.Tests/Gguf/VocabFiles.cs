using LlamaAspire.TestSupport.LlamaServer;

namespace LlamaAspire.MetadataService.Tests.Gguf;

/// <summary>The ggml-vocab-*.gguf files llama.cpp's own tools wrote, from the llama-server build cache.</summary>
internal static class VocabFiles
{
    public static async Task<string> PathOfAsync(string name)
    {
        var binary = await LlamaServerBinary.GetPathAsync();
        return Path.GetFullPath(Path.Combine(Path.GetDirectoryName(binary)!, "..", "vocab", name));
    }

    public static async Task<string[]> AllAsync()
    {
        var directory = Path.GetDirectoryName(await PathOfAsync("x"))!;
        return Directory.GetFiles(directory, "ggml-vocab-*.gguf");
    }
}
