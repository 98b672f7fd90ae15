using System.Text.Json.Serialization;

namespace LlamaAspire.Gateway.Ollama;

/// <summary>GET /api/ps; an empty list is [], never null.</summary>
public sealed record OllamaProcessList([property: JsonPropertyName("models")] IReadOnlyList<OllamaProcessModel> Models);

public sealed record OllamaProcessModel(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("digest")] string Digest,
    [property: JsonPropertyName("details")] OllamaModelDetails Details,
    [property: JsonPropertyName("expires_at")] string ExpiresAt,
    [property: JsonPropertyName("size_vram")] long SizeVram,
    [property: JsonPropertyName("context_length")] int ContextLength);
