using System.Text.Json.Serialization;

namespace LlamaAspire.Gateway.Ollama;

/// <summary>POST /api/copy: makes <see cref="Destination"/> another name for <see cref="Source"/>.</summary>
public sealed record OllamaCopyRequest(
    [property: JsonPropertyName("source")] string? Source,
    [property: JsonPropertyName("destination")] string? Destination);

/// <summary>DELETE /api/delete: <see cref="Model"/>, or the legacy <see cref="Name"/>.</summary>
public sealed record OllamaDeleteRequest(
    [property: JsonPropertyName("model")] string? Model,
    [property: JsonPropertyName("name")] string? Name);
