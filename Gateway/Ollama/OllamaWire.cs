using System.Text.Json.Serialization;

namespace LlamaAspire.Gateway.Ollama;

/// <summary>GET /api/version.</summary>
public sealed record OllamaVersion([property: JsonPropertyName("version")] string Version);

/// <summary>
/// Ollama's ModelDetails, shared by /api/tags, /api/show and /api/ps. Timestamps elsewhere are strings made by
/// <see cref="OllamaTime"/>, so their format does not depend on the serializer.
/// </summary>
public sealed record OllamaModelDetails(
    [property: JsonPropertyName("parent_model")] string ParentModel,
    [property: JsonPropertyName("format")] string Format,
    [property: JsonPropertyName("family")] string Family,
    [property: JsonPropertyName("families")] IReadOnlyList<string> Families,
    [property: JsonPropertyName("parameter_size")] string ParameterSize,
    [property: JsonPropertyName("quantization_level")] string QuantizationLevel);
