using System.Text.Json;
using System.Text.Json.Nodes;
using LlamaAspire.Gateway.Forwarding;

namespace LlamaAspire.Gateway.Responses;

/// <summary>
/// An OpenAI Responses request as a llama-server chat request: instructions and input items become messages,
/// function tools become chat tools, the sampling fields keep their meaning. llama-server is always asked to stream
/// with usage, whatever the client asked; the answer translator aggregates for a non-streaming client.
/// </summary>
public static class ResponsesRequestTranslator
{
    /// <param name="history">The stored conversation of a previous response (its chat messages), or null when unknown.</param>
    public static ChatTranslation Translate(ReadOnlyMemory<byte> body, Func<string, JsonArray?> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (ChatTranslation.ReadObject(body, _ => "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly.)", out var root) is { } unreadable) return unreadable;
        if (!root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(model.GetString()))
            return ChatTranslation.Refuse("you must provide a model parameter", "model");

        var messages = new JsonArray();
        // Instructions are this request's alone: a previous response's instructions are not carried over.
        if (root.TryGetProperty("instructions", out var instructions) && instructions.ValueKind != JsonValueKind.Null)
        {
            if (instructions.ValueKind != JsonValueKind.String) return ChatTranslation.Refuse("'instructions' must be a string.", "instructions");
            messages.Add(new JsonObject { ["role"] = "system", ["content"] = instructions.GetString() });
        }
        if (root.TryGetProperty("previous_response_id", out var previous) && previous.ValueKind != JsonValueKind.Null)
        {
            if (previous.ValueKind != JsonValueKind.String || history(previous.GetString()!) is not { } earlier)
                return ChatTranslation.Refuse($"Previous response with id '{(previous.ValueKind == JsonValueKind.String ? previous.GetString() : previous.GetRawText())}' not found.", "previous_response_id");
            foreach (var message in earlier.ToList())
            {
                earlier.Remove(message);
                messages.Add(message);
            }
        }
        if (!root.TryGetProperty("input", out var input)) return ChatTranslation.Refuse("Missing required parameter: 'input'.", "input");
        if (input.ValueKind == JsonValueKind.String) messages.Add(new JsonObject { ["role"] = "user", ["content"] = input.GetString() });
        else if (input.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var item in input.EnumerateArray())
            {
                var refusal = AddItem(item, $"input[{index++}]", messages);
                if (refusal is not null) return refusal;
            }
        }
        else return ChatTranslation.Refuse("'input' must be a string or an array of input items.", "input");

        var chat = new JsonObject { ["messages"] = messages, ["stream"] = true, ["stream_options"] = new JsonObject { ["include_usage"] = true } };
        foreach (var (from, to) in Numbers)
        {
            if (!root.TryGetProperty(from, out var value) || value.ValueKind == JsonValueKind.Null) continue;
            if (value.ValueKind != JsonValueKind.Number) return ChatTranslation.Refuse($"'{from}' must be a number.", from);
            chat[to] = JsonNode.Parse(value.GetRawText());
        }
        if (root.TryGetProperty("tools", out var tools) && tools.ValueKind != JsonValueKind.Null)
        {
            var refusal = AddTools(tools, chat);
            if (refusal is not null) return refusal;
        }
        if (root.TryGetProperty("tool_choice", out var choice) && choice.ValueKind != JsonValueKind.Null) chat["tool_choice"] = ToolChoice(choice);
        if (root.TryGetProperty("parallel_tool_calls", out var parallel) && parallel.ValueKind is JsonValueKind.True or JsonValueKind.False)
            chat["parallel_tool_calls"] = parallel.GetBoolean();
        if (root.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.Object
            && text.TryGetProperty("format", out var format) && ResponseFormat(format) is { } responseFormat)
            chat["response_format"] = responseFormat;

        var stream = root.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True;
        return new ChatTranslation(new ChatRequest(model.GetString()!, stream, chat, root));
    }

    private static readonly (string From, string To)[] Numbers = [("max_output_tokens", "max_tokens"), ("temperature", "temperature"), ("top_p", "top_p")];

    private static ChatTranslation? AddItem(JsonElement item, string path, JsonArray messages)
    {
        if (item.ValueKind != JsonValueKind.Object) return ChatTranslation.Refuse($"'{path}' must be an object.", path);
        var type = item.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : "message";
        switch (type)
        {
            case "message":
                var role = item.TryGetProperty("role", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
                if (role is not ("user" or "system" or "developer" or "assistant"))
                    return ChatTranslation.Refuse($"'{path}.role' must be one of 'user', 'system', 'developer' or 'assistant'.", $"{path}.role");
                if (!item.TryGetProperty("content", out var content)) return ChatTranslation.Refuse($"Missing required parameter: '{path}.content'.", $"{path}.content");
                var (chatContent, refusal) = Content(content, $"{path}.content");
                if (refusal is not null) return refusal;
                messages.Add(new JsonObject { ["role"] = role == "developer" ? "system" : role, ["content"] = chatContent });
                return null;
            case "function_call":
                var call = new JsonObject
                {
                    ["id"] = Text(item, "call_id"),
                    ["type"] = "function",
                    ["function"] = new JsonObject { ["name"] = Text(item, "name"), ["arguments"] = Text(item, "arguments") ?? "{}" },
                };
                // Consecutive calls are one assistant turn with several tool calls.
                if (messages.Count > 0 && messages[^1] is JsonObject last && last["tool_calls"] is JsonArray calls && last["role"]?.GetValue<string>() == "assistant")
                    calls.Add(call);
                else messages.Add(new JsonObject { ["role"] = "assistant", ["content"] = null, ["tool_calls"] = new JsonArray(call) });
                return null;
            case "function_call_output":
                var output = item.TryGetProperty("output", out var o) ? o : default;
                messages.Add(new JsonObject
                {
                    ["role"] = "tool",
                    ["tool_call_id"] = Text(item, "call_id"),
                    ["content"] = output.ValueKind == JsonValueKind.String ? output.GetString() : output.ValueKind == JsonValueKind.Undefined ? "" : output.GetRawText(),
                });
                return null;
            case "reasoning":
                return null;   // earlier reasoning, as this server answered it, is not sent back to the model
            default:
                return ChatTranslation.Refuse($"Input items of type '{type}' are not supported; use 'message', 'function_call' or 'function_call_output'.", $"{path}.type");
        }
    }

    private static (JsonNode? Content, ChatTranslation? Refusal) Content(JsonElement content, string path)
    {
        if (content.ValueKind == JsonValueKind.String) return (content.GetString(), null);
        if (content.ValueKind != JsonValueKind.Array) return (null, ChatTranslation.Refuse($"'{path}' must be a string or an array of content parts.", path));
        var parts = new JsonArray();
        var index = 0;
        foreach (var part in content.EnumerateArray())
        {
            var partPath = $"{path}[{index++}]";
            var type = part.ValueKind == JsonValueKind.Object && part.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            switch (type)
            {
                case "input_text" or "output_text" or "text":
                    parts.Add(new JsonObject { ["type"] = "text", ["text"] = Text(part, "text") ?? "" });
                    break;
                case "input_image" when Text(part, "image_url") is { } url:
                    parts.Add(new JsonObject { ["type"] = "image_url", ["image_url"] = new JsonObject { ["url"] = url } });
                    break;
                default:
                    return (null, ChatTranslation.Refuse($"Content parts of type '{type}' are not supported; use 'input_text' or 'input_image' with an image_url.", $"{partPath}.type"));
            }
        }
        return (parts, null);
    }

    private static ChatTranslation? AddTools(JsonElement tools, JsonObject chat)
    {
        if (tools.ValueKind != JsonValueKind.Array) return ChatTranslation.Refuse("'tools' must be an array.", "tools");
        var chatTools = new JsonArray();
        var index = 0;
        foreach (var tool in tools.EnumerateArray())
        {
            var path = $"tools[{index++}]";
            if (tool.ValueKind != JsonValueKind.Object || Text(tool, "type") != "function")
                return ChatTranslation.Refuse($"Only tools of type 'function' are supported ('{path}').", $"{path}.type");
            if (Text(tool, "name") is not { Length: > 0 } name) return ChatTranslation.Refuse($"Missing required parameter: '{path}.name'.", $"{path}.name");
            var function = new JsonObject { ["name"] = name };
            if (Text(tool, "description") is { } description) function["description"] = description;
            function["parameters"] = tool.TryGetProperty("parameters", out var parameters) && parameters.ValueKind == JsonValueKind.Object
                ? JsonNode.Parse(parameters.GetRawText())
                : new JsonObject { ["type"] = "object", ["properties"] = new JsonObject() };
            chatTools.Add(new JsonObject { ["type"] = "function", ["function"] = function });
        }
        if (chatTools.Count > 0) chat["tools"] = chatTools;
        return null;
    }

    private static JsonNode? ToolChoice(JsonElement choice) =>
        choice.ValueKind == JsonValueKind.Object && Text(choice, "type") == "function" && Text(choice, "name") is { } name
            ? new JsonObject { ["type"] = "function", ["function"] = new JsonObject { ["name"] = name } }
            : JsonNode.Parse(choice.GetRawText());

    private static JsonObject? ResponseFormat(JsonElement format) => Text(format, "type") switch
    {
        "json_schema" => new JsonObject
        {
            ["type"] = "json_schema",
            ["json_schema"] = new JsonObject
            {
                ["name"] = Text(format, "name") ?? "response",
                ["schema"] = format.TryGetProperty("schema", out var schema) ? JsonNode.Parse(schema.GetRawText()) : new JsonObject(),
                ["strict"] = format.TryGetProperty("strict", out var strict) && strict.ValueKind == JsonValueKind.True,
            },
        },
        "json_object" => new JsonObject { ["type"] = "json_object" },
        _ => null,
    };

    private static string? Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
