using System.Text.Json;
using System.Text.Json.Nodes;

namespace LlamaAspire.Gateway.Ollama;

/// <summary>Ollama's "format" ("json" or a JSON schema) as llama-server's structured-output fields.</summary>
internal static class OllamaFormat
{
    /// <summary>For /v1/chat/completions: response_format json_object or json_schema.</summary>
    public static JsonObject? ToResponseFormat(JsonElement? format) => format switch
    {
        { ValueKind: JsonValueKind.String } text when text.GetString() == "json" => new JsonObject { ["type"] = "json_object" },
        { ValueKind: JsonValueKind.Object } schema => new JsonObject
        {
            ["type"] = "json_schema",
            ["json_schema"] = new JsonObject { ["schema"] = JsonNode.Parse(schema.GetRawText()) },
        },
        _ => null,
    };

    /// <summary>For the native /completion and /infill: a json_schema field; JSON mode is the schema of any object.</summary>
    public static JsonNode? ToNativeSchema(JsonElement? format) => format switch
    {
        { ValueKind: JsonValueKind.String } text when text.GetString() == "json" => new JsonObject { ["type"] = "object" },
        { ValueKind: JsonValueKind.Object } schema => JsonNode.Parse(schema.GetRawText()),
        _ => null,
    };
}
