using System.Text.Json;
using System.Text.Json.Nodes;

namespace LlamaAspire.Gateway.Ollama;

/// <summary>
/// Ollama's "think" as llama-server's reasoning controls. Absent or true leaves the template's default (thinking
/// models think; llama-server's default reasoning_format splits it out as reasoning_content). false turns it off
/// both ways llama-server knows, since templates differ in which they read. A level becomes reasoning_effort.
/// </summary>
internal static class OllamaThink
{
    public static void Apply(JsonObject body, JsonElement? think)
    {
        switch (think)
        {
            case { ValueKind: JsonValueKind.False }:
                body["reasoning_effort"] = "none";
                body["chat_template_kwargs"] = new JsonObject { ["enable_thinking"] = false };
                break;
            case { ValueKind: JsonValueKind.String } level:
                // llama-server knows low/medium/high; Ollama's "max" is its highest level.
                body["reasoning_effort"] = level.GetString() == "max" ? "high" : level.GetString();
                break;
        }
    }
}
