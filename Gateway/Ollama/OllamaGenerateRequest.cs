using System.Text.Json;
using System.Text.Json.Serialization;

namespace LlamaAspire.Gateway.Ollama;

/// <summary>The body of POST /api/generate.</summary>
public sealed record OllamaGenerateRequest
{
    [JsonPropertyName("model")] public string? Model { get; init; }
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("prompt")] public string? Prompt { get; init; }

    /// <summary>Fill-in-the-middle: the text after the insertion point.</summary>
    [JsonPropertyName("suffix")] public string? Suffix { get; init; }

    [JsonPropertyName("system")] public string? System { get; init; }

    /// <summary>A Go template override; llama-server cannot run it, so it is ignored.</summary>
    [JsonPropertyName("template")] public string? Template { get; init; }

    /// <summary>Deprecated token memory from an earlier answer; ignored.</summary>
    [JsonPropertyName("context")] public IReadOnlyList<long>? Context { get; init; }

    [JsonPropertyName("stream")] public bool? Stream { get; init; }
    [JsonPropertyName("raw")] public bool? Raw { get; init; }
    [JsonPropertyName("format")] public JsonElement? Format { get; init; }
    [JsonPropertyName("keep_alive")] public JsonElement? KeepAlive { get; init; }
    [JsonPropertyName("images")] public IReadOnlyList<string>? Images { get; init; }
    [JsonPropertyName("options")] public IReadOnlyDictionary<string, JsonElement>? Options { get; init; }
    [JsonPropertyName("think")] public JsonElement? Think { get; init; }
    [JsonPropertyName("truncate")] public bool? Truncate { get; init; }
    [JsonPropertyName("shift")] public bool? Shift { get; init; }

    [JsonIgnore] public string ModelName => string.IsNullOrEmpty(Model) ? Name ?? "" : Model;
    [JsonIgnore] public bool Streams => Stream ?? true;
    [JsonIgnore] public bool IsRaw => Raw ?? false;
}
