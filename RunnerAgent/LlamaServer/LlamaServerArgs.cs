using System.Globalization;
using LlamaAspire.RunnerAgent.Metadata;

namespace LlamaAspire.RunnerAgent.LlamaServer;

/// <summary>The llama-server command line for a model. No shell: every value is one argument.</summary>
public static class LlamaServerArgs
{
    public static IReadOnlyList<string> For(ModelInfo model, int port) =>
    [
        "--host", "127.0.0.1",
        "--port", port.ToString(CultureInfo.InvariantCulture),
        "-m", model.Path,
        "--alias", model.Id,
        "-np", "1",
        "--no-webui",
        .. model.IsEmbedding ? ["--embeddings"] : Array.Empty<string>(),
    ];
}
