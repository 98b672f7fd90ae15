using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LlamaAspire.Gateway.Ollama;

/// <summary>POST /api/chat ⇒ llama-server's POST /v1/chat/completions (protocols.md §5.1).</summary>
public static class OllamaChatTranslator
{
    /// <param name="servedModel">llama-server's name for the model; only needed by a router-mode llama-server.</param>
    public static LlamaServerCall ToLlamaServer(OllamaChatRequest request, OllamaRuntimeOptions options, string? servedModel = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        var body = new JsonObject();
        if (servedModel is not null) body["model"] = servedModel;
        body["messages"] = ToMessages(request.Messages ?? []);
        if (request.Tools is { Count: > 0 } tools) body["tools"] = new JsonArray([.. tools.Select(t => JsonNode.Parse(t.GetRawText()))]);
        Finish(body, options, request.Format, request.Think);
        return new LlamaServerCall(LlamaServerCall.ChatCompletionsPath, body);
    }

    /// <summary>The fields every chat-endpoint body shares: sampling, structured output, reasoning and streaming.</summary>
    internal static void Finish(JsonObject body, OllamaRuntimeOptions options, JsonElement? format, JsonElement? think)
    {
        LlamaServerSampling.Apply(body, options, "max_tokens");
        if (OllamaFormat.ToResponseFormat(format) is { } responseFormat) body["response_format"] = responseFormat;
        OllamaThink.Apply(body, think);
        body["stream"] = true;
        body["stream_options"] = new JsonObject { ["include_usage"] = true };
    }

    internal static JsonArray ToMessages(IReadOnlyList<OllamaMessage> messages)
    {
        var result = new JsonArray();
        // Ids given to earlier assistant calls that no tool message has answered yet, oldest first.
        var unanswered = new List<(string Id, string Name)>();
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            var role = message.Role.ToLowerInvariant();
            var json = new JsonObject { ["role"] = role, ["content"] = ToContent(message.Content ?? "", message.Images) };
            if (role == "assistant" && !string.IsNullOrEmpty(message.Thinking)) json["reasoning_content"] = message.Thinking;
            if (message.ToolCalls is { Count: > 0 } calls)
            {
                unanswered.Clear();
                json["tool_calls"] = new JsonArray([.. calls.Select((call, n) => ToToolCall(call, CallId(call, i, n), unanswered))]);
            }
            if (role == "tool")
            {
                json["tool_call_id"] = message.ToolCallId ?? TakeAnswered(unanswered, message.ToolName) ?? CallId(null, i, 0);
                if (!string.IsNullOrEmpty(message.ToolName)) json["name"] = message.ToolName;
            }
            result.Add(json);
        }
        return result;
    }

    internal static JsonNode ToContent(string text, IReadOnlyList<string>? images)
    {
        if (images is not { Count: > 0 }) return JsonValue.Create(text);
        var parts = new JsonArray();
        if (text.Length > 0) parts.Add(new JsonObject { ["type"] = "text", ["text"] = text });
        foreach (var image in images)
        {
            parts.Add(new JsonObject { ["type"] = "image_url", ["image_url"] = new JsonObject { ["url"] = OllamaImages.ToDataUri(image) } });
        }
        return parts;
    }

    private static JsonObject ToToolCall(OllamaToolCall call, string id, List<(string Id, string Name)> unanswered)
    {
        unanswered.Add((id, call.Function.Name));
        return new JsonObject
        {
            ["id"] = id,
            ["type"] = "function",
            ["function"] = new JsonObject { ["name"] = call.Function.Name, ["arguments"] = ArgumentsText(call.Function.Arguments) },
        };
    }

    // OpenAI carries arguments as a JSON string; Ollama as an object (or, from older clients, already a string).
    private static string ArgumentsText(JsonElement? arguments) => arguments switch
    {
        null or { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => "{}",
        { ValueKind: JsonValueKind.String } text => text.GetString()!,
        // Re-written rather than copied, so the client's spacing does not leak into the prompt.
        { } value => JsonSerializer.Serialize(value, OllamaJson.Options),
    };

    // History from Ollama clients often has no ids; a stable one per position lets the tool answers point at it.
    private static string CallId(OllamaToolCall? call, int message, int index) =>
        call?.Id is { Length: > 0 } id ? id : string.Create(CultureInfo.InvariantCulture, $"call_{message}_{index}");

    // A tool message names its tool, not the call: match the oldest unanswered call of that name, else the oldest.
    private static string? TakeAnswered(List<(string Id, string Name)> unanswered, string? toolName)
    {
        var at = unanswered.FindIndex(c => c.Name == toolName);
        if (at < 0) at = unanswered.Count > 0 ? 0 : -1;
        if (at < 0) return null;
        var id = unanswered[at].Id;
        unanswered.RemoveAt(at);
        return id;
    }
}
