using System.Text.Json.Serialization;

namespace LlamaAspire.Gateway.Ollama;

/// <summary>GET /api/tags.</summary>
public sealed record OllamaModelList([property: JsonPropertyName("models")] IReadOnlyList<OllamaListedModel> Models);

/// <summary>One /api/tags entry: Open WebUI keys on name, Copilot Chat on model, so both carry the tagged name.</summary>
public sealed record OllamaListedModel(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("modified_at")] string ModifiedAt,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("digest")] string Digest,
    [property: JsonPropertyName("details")] OllamaModelDetails Details);
