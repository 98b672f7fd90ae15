using System.Text.Json;
using System.Text.Json.Nodes;
using LlamaAspire.Gateway.Forwarding;

namespace LlamaAspire.Gateway.LmStudio;

/// <summary>
/// LM Studio's REST v1 chat request (POST /api/v1/chat) as a llama-server chat request: system_prompt and the input
/// (a string, or message/text/image items forming one user turn) become messages, after the stored conversation of
/// previous_response_id; the sampling fields keep their meaning; reasoning becomes llama-server's reasoning controls.
/// llama-server is always asked to stream with usage; the answer translator aggregates for a non-streaming client.
/// </summary>
public static class LmStudioV1ChatRequestTranslator
{
    public const string IntegrationsNotSupported =
        "'integrations' (LM Studio plugins and MCP servers) are not supported by LlamaAspire: send the chat without them.";

    private static readonly (string From, string To)[] Numbers =
    [
        ("temperature", "temperature"), ("top_p", "top_p"), ("top_k", "top_k"), ("min_p", "min_p"), ("repeat_penalty", "repeat_penalty"),
    ];

    /// <param name="history">The stored conversation of a previous response (its chat messages), or null when unknown.</param>
    public static ChatTranslation Translate(ReadOnlyMemory<byte> body, Func<string, JsonArray?> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (ChatTranslation.ReadObject(body, _ => "The request body is not valid JSON.", out var root) is { } unreadable) return unreadable;
        if (!root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(model.GetString()))
            return ChatTranslation.Refuse("'model' is required: the key of a downloaded model.", "model");
        if (Present(root, "integrations")) return ChatTranslation.Refuse(IntegrationsNotSupported, "integrations");

        var stream = false;
        if (Present(root, "stream", out var streamValue))
        {
            if (streamValue.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) return ChatTranslation.Refuse("'stream' must be true or false.", "stream");
            stream = streamValue.GetBoolean();
        }
        if (Present(root, "store", out var store) && store.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            return ChatTranslation.Refuse("'store' must be true or false.", "store");

        var messages = new JsonArray();
        // The system prompt is this request's alone: a previous response's is not carried over.
        if (Present(root, "system_prompt", out var system))
        {
            if (system.ValueKind != JsonValueKind.String) return ChatTranslation.Refuse("'system_prompt' must be a string.", "system_prompt");
            messages.Add(new JsonObject { ["role"] = "system", ["content"] = system.GetString() });
        }
        if (Present(root, "previous_response_id", out var previous))
        {
            if (previous.ValueKind != JsonValueKind.String || history(previous.GetString()!) is not { } earlier)
                return ChatTranslation.Refuse(
                    $"Previous response with id '{(previous.ValueKind == JsonValueKind.String ? previous.GetString() : previous.GetRawText())}' not found.",
                    "previous_response_id");
            foreach (var message in earlier.ToList())
            {
                earlier.Remove(message);
                messages.Add(message);
            }
        }
        if (!Present(root, "input", out var input)) return ChatTranslation.Refuse("'input' is required: a string, or an array of message and image items.", "input");
        var (content, refusal) = UserContent(input);
        if (refusal is not null) return refusal;
        messages.Add(new JsonObject { ["role"] = "user", ["content"] = content });

        var chat = new JsonObject { ["messages"] = messages, ["stream"] = true, ["stream_options"] = new JsonObject { ["include_usage"] = true } };
        foreach (var (from, to) in Numbers)
        {
            if (!Present(root, from, out var value)) continue;
            if (value.ValueKind != JsonValueKind.Number) return ChatTranslation.Refuse($"'{from}' must be a number.", from);
            chat[to] = JsonNode.Parse(value.GetRawText());
        }
        if (Present(root, "max_output_tokens", out var max))
        {
            if (max.ValueKind != JsonValueKind.Number || !max.TryGetInt32(out var tokens) || tokens < 1)
                return ChatTranslation.Refuse("'max_output_tokens' must be a positive whole number.", "max_output_tokens");
            chat["max_tokens"] = tokens;
        }
        if (Present(root, "reasoning", out var reasoning))
        {
            var level = reasoning.ValueKind == JsonValueKind.String ? reasoning.GetString() : null;
            switch (level)
            {
                case "off":
                    // Both ways llama-server knows, since templates differ in which they read.
                    chat["reasoning_effort"] = "none";
                    chat["chat_template_kwargs"] = new JsonObject { ["enable_thinking"] = false };
                    break;
                case "on":
                    chat["chat_template_kwargs"] = new JsonObject { ["enable_thinking"] = true };
                    break;
                case "low" or "medium" or "high":
                    chat["reasoning_effort"] = level;
                    break;
                default:
                    return ChatTranslation.Refuse("'reasoning' must be one of off, low, medium, high, on.", "reasoning");
            }
        }
        int? contextLength = null;
        if (Present(root, "context_length", out var ctx))
        {
            if (ctx.ValueKind != JsonValueKind.Number || !ctx.TryGetInt32(out var n) || n < 1)
                return ChatTranslation.Refuse("'context_length' must be a positive whole number.", "context_length");
            contextLength = n;
        }
        return new ChatTranslation(new ChatRequest(model.GetString()!, stream, chat, root, contextLength));
    }

    /// <summary>The user turn: a string as is; items as one text, or as content parts when there are several or an image.</summary>
    private static (JsonNode? Content, ChatTranslation? Refusal) UserContent(JsonElement input)
    {
        if (input.ValueKind == JsonValueKind.String) return (input.GetString(), null);
        if (input.ValueKind != JsonValueKind.Array) return (null, ChatTranslation.Refuse("'input' must be a string or an array of message and image items.", "input"));
        if (input.GetArrayLength() == 0) return (null, ChatTranslation.Refuse("'input' must not be empty.", "input"));
        var parts = new JsonArray();
        var index = 0;
        foreach (var item in input.EnumerateArray())
        {
            var at = $"input[{index++}]";
            var type = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            switch (type)
            {
                case "message" or "text":
                    if (!item.TryGetProperty("content", out var text) || text.ValueKind != JsonValueKind.String)
                        return (null, ChatTranslation.Refuse($"'{at}.content' must be a string.", $"{at}.content"));
                    parts.Add(new JsonObject { ["type"] = "text", ["text"] = text.GetString() });
                    break;
                case "image":
                    if (!item.TryGetProperty("data_url", out var url) || url.ValueKind != JsonValueKind.String
                        || !url.GetString()!.StartsWith("data:image/", StringComparison.OrdinalIgnoreCase))
                        return (null, ChatTranslation.Refuse($"'{at}.data_url' must be a data URL of an image (data:image/...;base64,...).", $"{at}.data_url"));
                    parts.Add(new JsonObject { ["type"] = "image_url", ["image_url"] = new JsonObject { ["url"] = url.GetString() } });
                    break;
                default:
                    return (null, ChatTranslation.Refuse($"'{at}.type' must be \"message\", \"text\" or \"image\".", $"{at}.type"));
            }
        }
        return parts.Count == 1 && parts[0]!["type"]!.GetValue<string>() == "text" ? (parts[0]!["text"]!.DeepClone(), null) : (parts, null);
    }

    private static bool Present(JsonElement root, string name) => Present(root, name, out _);

    private static bool Present(JsonElement root, string name, out JsonElement value) =>
        root.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;
}
