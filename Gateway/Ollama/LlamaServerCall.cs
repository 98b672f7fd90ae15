using System.Text.Json.Nodes;

namespace LlamaAspire.Gateway.Ollama;

/// <summary>
/// What to send to llama-server for one Ollama request: the path and the JSON body. The body always asks for a
/// stream, whatever the client asked: the gateway then sees a client disconnect early, and a non-streaming client
/// gets the stream aggregated by <see cref="OllamaAnswerTranslator"/>.
/// </summary>
public sealed record LlamaServerCall(string Path, JsonObject Body)
{
    public const string ChatCompletionsPath = "/v1/chat/completions";
    public const string CompletionPath = "/completion";
    public const string InfillPath = "/infill";
    public const string EmbeddingsPath = "/v1/embeddings";
}
