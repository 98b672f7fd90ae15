using System.Net.Http.Headers;
using System.Text.Json;
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

    /// <summary>The POST to send to the llama-server at <paramref name="endpoint"/>.</summary>
    public HttpRequestMessage ToRequest(Uri endpoint) => new(HttpMethod.Post, new Uri(endpoint, Path))
    {
        Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(Body)) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
    };
}
