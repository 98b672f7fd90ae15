using System.Text.Json.Serialization;

namespace LlamaAspire.Gateway.OpenAi;

/// <summary>OpenAI's error envelope: clients read error.message and error.type.</summary>
public sealed record OpenAiErrorResponse([property: JsonPropertyName("error")] OpenAiError Error);

public sealed record OpenAiError(
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("param")] string? Param = null,
    [property: JsonPropertyName("code")] string? Code = null);
