using System.Text.Json;
using System.Text.Json.Serialization;

namespace LlamaAspire.Gateway.Ollama;

/// <summary>The body of POST /api/chat.</summary>
public sealed record OllamaChatRequest
{
    [JsonPropertyName("model")] public string? Model { get; init; }

    /// <summary>The deprecated alias of <see cref="Model"/>.</summary>
    [JsonPropertyName("name")] public string? Name { get; init; }

    [JsonPropertyName("messages")] public IReadOnlyList<OllamaMessage>? Messages { get; init; }
    [JsonPropertyName("stream")] public bool? Stream { get; init; }

    /// <summary>"json" or a JSON schema object.</summary>
    [JsonPropertyName("format")] public JsonElement? Format { get; init; }

    /// <summary>A Go duration string or a number of seconds; see <see cref="OllamaKeepAlive"/>.</summary>
    [JsonPropertyName("keep_alive")] public JsonElement? KeepAlive { get; init; }

    [JsonPropertyName("tools")] public IReadOnlyList<JsonElement>? Tools { get; init; }
    [JsonPropertyName("options")] public IReadOnlyDictionary<string, JsonElement>? Options { get; init; }

    /// <summary>true, false, or "low" | "medium" | "high" | "max".</summary>
    [JsonPropertyName("think")] public JsonElement? Think { get; init; }

    [JsonPropertyName("truncate")] public bool? Truncate { get; init; }
    [JsonPropertyName("shift")] public bool? Shift { get; init; }

    [JsonIgnore] public string ModelName => string.IsNullOrEmpty(Model) ? Name ?? "" : Model;

    /// <summary>Ollama streams unless the client says "stream": false.</summary>
    [JsonIgnore] public bool Streams => Stream ?? true;
}

/// <summary>A chat message, in requests (history) and in responses.</summary>
public sealed record OllamaMessage
{
    [JsonPropertyName("role")] public string Role { get; init; } = "";

    /// <summary>Always written, even empty: clients read message.content unconditionally.</summary>
    [JsonPropertyName("content")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Content { get; init; } = "";

    [JsonPropertyName("thinking")] public string? Thinking { get; init; }

    /// <summary>Raw base64, no data: prefix.</summary>
    [JsonPropertyName("images")] public IReadOnlyList<string>? Images { get; init; }

    [JsonPropertyName("tool_calls")] public IReadOnlyList<OllamaToolCall>? ToolCalls { get; init; }
    [JsonPropertyName("tool_name")] public string? ToolName { get; init; }
    [JsonPropertyName("tool_call_id")] public string? ToolCallId { get; init; }
}

public sealed record OllamaToolCall
{
    [JsonPropertyName("id")] public string? Id { get; init; }
    [JsonPropertyName("function")] public OllamaToolCallFunction Function { get; init; } = new();
}

public sealed record OllamaToolCallFunction
{
    /// <summary>Ollama always writes the index.</summary>
    [JsonPropertyName("index")] public int Index { get; init; }

    [JsonPropertyName("name")] public string Name { get; init; } = "";

    /// <summary>A JSON object (OpenAI's is a string). Unparseable upstream arguments are passed on as a string.</summary>
    [JsonPropertyName("arguments")] public JsonElement? Arguments { get; init; }
}
