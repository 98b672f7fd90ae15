using System.Text.Json.Serialization;

namespace LlamaAspire.Gateway.Ollama;

/// <summary>A line of an /api/chat stream, or the whole non-streamed answer.</summary>
public sealed record OllamaChatResponse
{
    [JsonPropertyName("model")] public required string Model { get; init; }
    [JsonPropertyName("created_at")] public required string CreatedAt { get; init; }
    [JsonPropertyName("message")] public required OllamaMessage Message { get; init; }
    [JsonPropertyName("done_reason")] public string? DoneReason { get; init; }
    [JsonPropertyName("done")] public bool Done { get; init; }
    [JsonPropertyName("total_duration"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public long TotalDuration { get; init; }
    [JsonPropertyName("load_duration"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public long LoadDuration { get; init; }
    [JsonPropertyName("prompt_eval_count"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public long PromptEvalCount { get; init; }
    [JsonPropertyName("prompt_eval_duration"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public long PromptEvalDuration { get; init; }
    [JsonPropertyName("eval_count"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public long EvalCount { get; init; }
    [JsonPropertyName("eval_duration"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public long EvalDuration { get; init; }
}

/// <summary>A line of an /api/generate stream, or the whole non-streamed answer.</summary>
public sealed record OllamaGenerateResponse
{
    [JsonPropertyName("model")] public required string Model { get; init; }
    [JsonPropertyName("created_at")] public required string CreatedAt { get; init; }

    /// <summary>Always written, "" included.</summary>
    [JsonPropertyName("response"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public string Response { get; init; } = "";

    [JsonPropertyName("thinking")] public string? Thinking { get; init; }
    [JsonPropertyName("tool_calls")] public IReadOnlyList<OllamaToolCall>? ToolCalls { get; init; }
    [JsonPropertyName("done_reason")] public string? DoneReason { get; init; }
    [JsonPropertyName("done")] public bool Done { get; init; }
    [JsonPropertyName("total_duration"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public long TotalDuration { get; init; }
    [JsonPropertyName("load_duration"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public long LoadDuration { get; init; }
    [JsonPropertyName("prompt_eval_count"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public long PromptEvalCount { get; init; }
    [JsonPropertyName("prompt_eval_duration"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public long PromptEvalDuration { get; init; }
    [JsonPropertyName("eval_count"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public long EvalCount { get; init; }
    [JsonPropertyName("eval_duration"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public long EvalDuration { get; init; }
}

/// <summary>The answer of POST /api/embed.</summary>
public sealed record OllamaEmbedResponse
{
    [JsonPropertyName("model")] public required string Model { get; init; }
    [JsonPropertyName("embeddings")] public required IReadOnlyList<float[]> Embeddings { get; init; }
    [JsonPropertyName("total_duration"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public long TotalDuration { get; init; }
    [JsonPropertyName("load_duration"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public long LoadDuration { get; init; }
    [JsonPropertyName("prompt_eval_count"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public long PromptEvalCount { get; init; }
}

/// <summary>The answer of the legacy POST /api/embeddings.</summary>
public sealed record OllamaEmbeddingsResponse([property: JsonPropertyName("embedding")] IReadOnlyList<double> Embedding);

/// <summary>Ollama's error body, on every /api route and as the last line of a failed stream.</summary>
public sealed record OllamaErrorResponse([property: JsonPropertyName("error")] string Error);
