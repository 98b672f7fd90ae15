using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LlamaAspire.Gateway.Forwarding;

/// <summary>A named server-sent event ("event: name", "data: json", blank line), and the JSON form of translated answers.</summary>
internal static class SseFrame
{
    /// <summary>Text as written, not \u-escaped: the answers are JSON for API clients, never embedded in HTML.</summary>
    public static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Named(string name, JsonNode data) => Encoding.UTF8.GetBytes($"event: {name}\ndata: {data.ToJsonString(Json)}\n\n");

    public static byte[] Body(JsonNode data) => JsonSerializer.SerializeToUtf8Bytes(data, Json);
}
