using System.Text.Json.Serialization;

namespace LlamaAspire.Gateway.Ollama;

/// <summary>POST /api/pull; <see cref="Stream"/> absent means stream, as for every Ollama progress endpoint.</summary>
public sealed record OllamaPullRequest(
    [property: JsonPropertyName("model")] string? Model,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("stream")] bool? Stream);

/// <summary>One progress line; ollama-js ends a progress stream on status "success".</summary>
public sealed record OllamaProgress([property: JsonPropertyName("status")] string Status);
