using System.Text.Json.Serialization;

namespace LlamaAspire.Gateway.LmStudio;

/// <summary>REST v0's generation stats: rates per second, times in seconds.</summary>
public sealed record LmStudioV0Stats(
    [property: JsonPropertyName("tokens_per_second")] double? TokensPerSecond,
    [property: JsonPropertyName("time_to_first_token")] double? TimeToFirstToken,
    [property: JsonPropertyName("generation_time")] double? GenerationTime,
    [property: JsonPropertyName("stop_reason")] string? StopReason);

public sealed record LmStudioV0ModelInfo(
    [property: JsonPropertyName("arch")] string? Arch,
    [property: JsonPropertyName("quant")] string? Quant,
    [property: JsonPropertyName("format")] string Format,
    [property: JsonPropertyName("context_length")] int ContextLength);

public sealed record LmStudioV0Runtime(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("version")] string? Version,
    [property: JsonPropertyName("supported_formats")] IReadOnlyList<string> SupportedFormats);
