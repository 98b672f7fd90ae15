using System.Text;
using System.Text.Json.Nodes;

namespace LlamaAspire.Gateway.Responses;

/// <summary>A named server-sent event: "event: name", "data: json", blank line.</summary>
internal static class SseFrame
{
    public static byte[] Named(string name, JsonNode data) => Encoding.UTF8.GetBytes($"event: {name}\ndata: {data.ToJsonString()}\n\n");
}
