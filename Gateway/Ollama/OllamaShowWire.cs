using System.Text.Json;
using System.Text.Json.Serialization;

namespace LlamaAspire.Gateway.Ollama;

/// <summary>POST /api/show; <see cref="Name"/> is the deprecated alias of <see cref="Model"/> that Continue still sends.</summary>
public sealed record OllamaShowRequest(
    [property: JsonPropertyName("model")] string? Model,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("verbose")] bool? Verbose);

public sealed record OllamaShowResponse(
    [property: JsonPropertyName("license"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? License,
    [property: JsonPropertyName("modelfile")] string Modelfile,
    [property: JsonPropertyName("parameters"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Parameters,
    [property: JsonPropertyName("template")] string Template,
    [property: JsonPropertyName("details")] OllamaModelDetails Details,
    [property: JsonPropertyName("model_info")] IReadOnlyDictionary<string, JsonElement> ModelInfo,
    [property: JsonPropertyName("capabilities")] IReadOnlyList<string> Capabilities,
    [property: JsonPropertyName("modified_at")] string ModifiedAt);
