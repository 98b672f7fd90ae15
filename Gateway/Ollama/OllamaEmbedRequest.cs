using System.Text.Json;
using System.Text.Json.Serialization;

namespace LlamaAspire.Gateway.Ollama;

/// <summary>The body of POST /api/embed.</summary>
public sealed record OllamaEmbedRequest
{
    [JsonPropertyName("model")] public string? Model { get; init; }
    [JsonPropertyName("name")] public string? Name { get; init; }

    /// <summary>A string or an array of strings.</summary>
    [JsonPropertyName("input")] public JsonElement? Input { get; init; }

    [JsonPropertyName("truncate")] public bool? Truncate { get; init; }
    [JsonPropertyName("dimensions")] public int? Dimensions { get; init; }
    [JsonPropertyName("keep_alive")] public JsonElement? KeepAlive { get; init; }
    [JsonPropertyName("options")] public IReadOnlyDictionary<string, JsonElement>? Options { get; init; }

    [JsonIgnore] public string ModelName => string.IsNullOrEmpty(Model) ? Name ?? "" : Model;

    /// <summary>The inputs as a list; call after <see cref="OllamaRequestParser"/> has checked the type.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> Inputs => Input switch
    {
        { ValueKind: JsonValueKind.String } one => one.GetString() is { Length: > 0 } text ? [text] : [],
        { ValueKind: JsonValueKind.Array } many => [.. many.EnumerateArray().Select(e => e.GetString() ?? "")],
        _ => [],
    };
}

/// <summary>The body of the legacy POST /api/embeddings: one prompt, one vector.</summary>
public sealed record OllamaEmbeddingsRequest
{
    [JsonPropertyName("model")] public string? Model { get; init; }
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("prompt")] public string? Prompt { get; init; }
    [JsonPropertyName("keep_alive")] public JsonElement? KeepAlive { get; init; }
    [JsonPropertyName("options")] public IReadOnlyDictionary<string, JsonElement>? Options { get; init; }

    [JsonIgnore] public string ModelName => string.IsNullOrEmpty(Model) ? Name ?? "" : Model;
}
