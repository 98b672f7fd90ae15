using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlamaAspire.Gateway.Forwarding;

namespace LlamaAspire.Gateway.Anthropic;

/// <summary>
/// An Anthropic Messages request as a llama-server chat request: system and content blocks become chat messages,
/// tool_use and tool_result blocks become tool calls and tool messages, tools with input_schema become function tools.
/// llama-server is always asked to stream with usage; the answer translator aggregates for a non-streaming client.
/// </summary>
public static class AnthropicRequestTranslator
{
    public static ChatTranslation Translate(ReadOnlyMemory<byte> body)
    {
        if (ChatTranslation.ReadObject(body, e => $"The request body is not valid JSON: {e.Message}", out var root) is { } unreadable) return unreadable;
        if (Text(root, "model") is not { Length: > 0 } model || string.IsNullOrWhiteSpace(model)) return ChatTranslation.Refuse("model: Field required", "model");
        if (!root.TryGetProperty("max_tokens", out var maxTokens)) return ChatTranslation.Refuse("max_tokens: Field required", "max_tokens");
        if (maxTokens.ValueKind != JsonValueKind.Number || !maxTokens.TryGetInt64(out var max) || max < 1)
            return ChatTranslation.Refuse("max_tokens: Input should be a positive integer", "max_tokens");
        if (!root.TryGetProperty("messages", out var turns)) return ChatTranslation.Refuse("messages: Field required", "messages");
        if (turns.ValueKind != JsonValueKind.Array) return ChatTranslation.Refuse("messages: Input should be a valid list", "messages");

        var messages = new JsonArray();
        if (root.TryGetProperty("system", out var system) && system.ValueKind != JsonValueKind.Null)
        {
            var (text, refusal) = SystemText(system);
            if (refusal is not null) return refusal;
            messages.Add(new JsonObject { ["role"] = "system", ["content"] = text });
        }
        var index = 0;
        foreach (var turn in turns.EnumerateArray())
        {
            var refusal = AddTurn(turn, $"messages.{index++}", messages);
            if (refusal is not null) return refusal;
        }

        var chat = new JsonObject
        {
            ["messages"] = messages, ["max_tokens"] = max, ["stream"] = true, ["stream_options"] = new JsonObject { ["include_usage"] = true },
        };
        foreach (var name in (string[])["temperature", "top_p", "top_k"])
        {
            if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) continue;
            if (value.ValueKind != JsonValueKind.Number) return ChatTranslation.Refuse($"{name}: Input should be a valid number", name);
            chat[name] = JsonNode.Parse(value.GetRawText());
        }
        if (root.TryGetProperty("stop_sequences", out var stops) && stops.ValueKind != JsonValueKind.Null)
        {
            if (stops.ValueKind != JsonValueKind.Array || stops.EnumerateArray().Any(s => s.ValueKind != JsonValueKind.String))
                return ChatTranslation.Refuse("stop_sequences: Input should be a valid list of strings", "stop_sequences");
            if (stops.GetArrayLength() > 0) chat["stop"] = JsonNode.Parse(stops.GetRawText());
        }
        if (root.TryGetProperty("tools", out var tools) && tools.ValueKind != JsonValueKind.Null)
        {
            var refusal = AddTools(tools, chat);
            if (refusal is not null) return refusal;
        }
        if (root.TryGetProperty("tool_choice", out var choice) && choice.ValueKind == JsonValueKind.Object)
        {
            chat["tool_choice"] = Text(choice, "type") switch
            {
                "any" => "required",
                "none" => "none",
                "tool" when Text(choice, "name") is { } name => new JsonObject { ["type"] = "function", ["function"] = new JsonObject { ["name"] = name } },
                _ => "auto",
            };
            if (choice.TryGetProperty("disable_parallel_tool_use", out var single) && single.ValueKind == JsonValueKind.True) chat["parallel_tool_calls"] = false;
        }

        var stream = root.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True;
        return new ChatTranslation(new ChatRequest(model, stream, chat, root));
    }

    private static (string? Text, ChatTranslation? Refusal) SystemText(JsonElement system)
    {
        if (system.ValueKind == JsonValueKind.String) return (system.GetString(), null);
        if (system.ValueKind != JsonValueKind.Array) return (null, ChatTranslation.Refuse("system: Input should be a valid string or list of text blocks", "system"));
        var text = new StringBuilder();
        foreach (var block in system.EnumerateArray())
        {
            if (Text(block, "type") != "text") return (null, ChatTranslation.Refuse("system: only text blocks are supported", "system"));
            if (text.Length > 0) text.Append('\n');
            text.Append(Text(block, "text"));
        }
        return (text.ToString(), null);
    }

    private static ChatTranslation? AddTurn(JsonElement turn, string path, JsonArray messages)
    {
        var role = Text(turn, "role");
        if (role is not ("user" or "assistant")) return ChatTranslation.Refuse($"{path}.role: Input should be 'user' or 'assistant'", $"{path}.role");
        if (turn.ValueKind != JsonValueKind.Object || !turn.TryGetProperty("content", out var content))
            return ChatTranslation.Refuse($"{path}.content: Field required", $"{path}.content");
        if (content.ValueKind == JsonValueKind.String)
        {
            messages.Add(new JsonObject { ["role"] = role, ["content"] = content.GetString() });
            return null;
        }
        if (content.ValueKind != JsonValueKind.Array) return ChatTranslation.Refuse($"{path}.content: Input should be a valid string or list of content blocks", $"{path}.content");

        var parts = new JsonArray();
        var calls = new JsonArray();
        var results = new List<JsonObject>();
        var index = 0;
        foreach (var block in content.EnumerateArray())
        {
            var blockPath = $"{path}.content.{index++}";
            switch (Text(block, "type"))
            {
                case "text":
                    parts.Add(new JsonObject { ["type"] = "text", ["text"] = Text(block, "text") ?? "" });
                    break;
                case "image" when ImageUrl(block) is { } url:
                    parts.Add(new JsonObject { ["type"] = "image_url", ["image_url"] = new JsonObject { ["url"] = url } });
                    break;
                case "tool_use" when role == "assistant":
                    calls.Add(new JsonObject
                    {
                        ["id"] = Text(block, "id"),
                        ["type"] = "function",
                        ["function"] = new JsonObject
                        {
                            ["name"] = Text(block, "name"),
                            ["arguments"] = block.TryGetProperty("input", out var input) ? input.GetRawText() : "{}",
                        },
                    });
                    break;
                case "tool_result" when role == "user":
                    results.Add(new JsonObject { ["role"] = "tool", ["tool_call_id"] = Text(block, "tool_use_id"), ["content"] = ToolResultText(block) });
                    break;
                case "thinking" or "redacted_thinking":
                    break;   // earlier reasoning is not sent back to the model
                case var type:
                    return ChatTranslation.Refuse($"{blockPath}.type: content blocks of type '{type}' are not supported here", $"{blockPath}.type");
            }
        }
        // Tool results answer the previous assistant turn, so they come before anything else the user says.
        foreach (var result in results) messages.Add(result);
        if (calls.Count > 0)
            messages.Add(new JsonObject { ["role"] = "assistant", ["content"] = parts.Count > 0 ? JoinedText(parts) : null, ["tool_calls"] = calls });
        else if (parts.Count > 0 || results.Count == 0)
            messages.Add(new JsonObject { ["role"] = role, ["content"] = parts });
        return null;
    }

    private static string? ImageUrl(JsonElement block)
    {
        if (!block.TryGetProperty("source", out var source) || source.ValueKind != JsonValueKind.Object) return null;
        return Text(source, "type") switch
        {
            "base64" => $"data:{Text(source, "media_type") ?? "image/png"};base64,{Text(source, "data")}",
            "url" => Text(source, "url"),
            _ => null,
        };
    }

    private static string ToolResultText(JsonElement block)
    {
        if (!block.TryGetProperty("content", out var content)) return "";
        if (content.ValueKind == JsonValueKind.String) return content.GetString()!;
        if (content.ValueKind != JsonValueKind.Array) return content.GetRawText();
        return string.Join("\n", content.EnumerateArray().Where(b => Text(b, "type") == "text").Select(b => Text(b, "text")));
    }

    private static string JoinedText(JsonArray parts) => string.Join("\n", parts.Select(p => p?["text"]?.GetValue<string>()).Where(t => t is not null));

    private static ChatTranslation? AddTools(JsonElement tools, JsonObject chat)
    {
        if (tools.ValueKind != JsonValueKind.Array) return ChatTranslation.Refuse("tools: Input should be a valid list", "tools");
        var chatTools = new JsonArray();
        var index = 0;
        foreach (var tool in tools.EnumerateArray())
        {
            var path = $"tools.{index++}";
            // Server tools (web_search, bash, ...) carry a versioned type; only client tools (no type, or "custom") can be served.
            if (Text(tool, "type") is { } type && type != "custom")
                return ChatTranslation.Refuse($"{path}.type: tools of type '{type}' are not supported", $"{path}.type");
            if (Text(tool, "name") is not { Length: > 0 } name) return ChatTranslation.Refuse($"{path}.name: Field required", $"{path}.name");
            var function = new JsonObject { ["name"] = name };
            if (Text(tool, "description") is { } description) function["description"] = description;
            function["parameters"] = tool.TryGetProperty("input_schema", out var schema) && schema.ValueKind == JsonValueKind.Object
                ? JsonNode.Parse(schema.GetRawText())
                : new JsonObject { ["type"] = "object", ["properties"] = new JsonObject() };
            chatTools.Add(new JsonObject { ["type"] = "function", ["function"] = function });
        }
        if (chatTools.Count > 0) chat["tools"] = chatTools;
        return null;
    }

    private static string? Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
