using System.Text.Json;

namespace LlamaAspire.Gateway.Ollama;

/// <summary>
/// One llama-server SSE data payload, reduced to what the Ollama answer needs. Reads both the OpenAI-compatible
/// chunk (choices[0].delta, usage, timings, then "[DONE]") and the native /completion and /infill chunk
/// (content, stop, stop_type, timings; no "[DONE]": the stop:true chunk is the last).
/// </summary>
internal sealed record LlamaServerUpdate
{
    public string? Content { get; init; }
    public string? Reasoning { get; init; }
    public IReadOnlyList<ToolCallFragment> ToolCalls { get; init; } = [];

    /// <summary>"stop", "length" or "tool_calls" (native stop types are mapped to these).</summary>
    public string? FinishReason { get; init; }

    public LlamaServerTimings? Timings { get; init; }
    public long? PromptTokens { get; init; }
    public long? CompletionTokens { get; init; }
    public string? ErrorMessage { get; init; }
    public int? ErrorCode { get; init; }

    /// <summary>Nothing more will come.</summary>
    public bool IsLast { get; init; }

    /// <summary>One SSE data payload of llama-server; one that is not JSON is read as its last word: an error.</summary>
    public static LlamaServerUpdate ParseOrError(ReadOnlySpan<byte> payload)
    {
        try
        {
            return Parse(payload);
        }
        catch (JsonException)
        {
            return new LlamaServerUpdate { ErrorMessage = "llama-server sent an unreadable event", IsLast = true };
        }
    }

    private static LlamaServerUpdate Parse(ReadOnlySpan<byte> payload)
    {
        payload = payload.Trim(" \t\r\n"u8);
        if (payload.SequenceEqual("[DONE]"u8)) return new LlamaServerUpdate { IsLast = true };
        using var document = JsonDocument.Parse(payload.ToArray());
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object) return new LlamaServerUpdate();
        if (root.TryGetProperty("error", out var error)) return FromError(error);
        return root.TryGetProperty("choices", out var choices) ? FromChat(root, choices) : FromNative(root);
    }

    private static LlamaServerUpdate FromError(JsonElement error) => error.ValueKind == JsonValueKind.Object
        ? new LlamaServerUpdate
        {
            ErrorMessage = String(error, "message") ?? "llama-server reported an error",
            ErrorCode = error.TryGetProperty("code", out var code) && code.TryGetInt32(out var c) ? c : null,
            IsLast = true,
        }
        : new LlamaServerUpdate { ErrorMessage = error.ValueKind == JsonValueKind.String ? error.GetString() : error.GetRawText(), IsLast = true };

    private static LlamaServerUpdate FromChat(JsonElement root, JsonElement choices)
    {
        var update = new LlamaServerUpdate { Timings = LlamaServerTimings.From(root) };
        if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            update = update with { PromptTokens = Long(usage, "prompt_tokens"), CompletionTokens = Long(usage, "completion_tokens") };
        }
        if (choices.ValueKind != JsonValueKind.Array || choices.GetArrayLength() == 0) return update;
        var choice = choices[0];
        update = update with { FinishReason = String(choice, "finish_reason") };
        // A non-streamed answer has "message" where a chunk has "delta"; both read the same.
        if (!choice.TryGetProperty("delta", out var delta) && !choice.TryGetProperty("message", out delta)) return update;
        if (delta.ValueKind != JsonValueKind.Object) return update;
        return update with
        {
            Content = String(delta, "content"),
            Reasoning = String(delta, "reasoning_content"),
            ToolCalls = delta.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array
                ? [.. calls.EnumerateArray().Select((c, i) => ToolCallFragment.From(c, i))]
                : [],
        };
    }

    private static LlamaServerUpdate FromNative(JsonElement root)
    {
        var stopped = root.TryGetProperty("stop", out var stop) && stop.ValueKind == JsonValueKind.True;
        return new LlamaServerUpdate
        {
            Content = String(root, "content"),
            Timings = LlamaServerTimings.From(root),
            FinishReason = !stopped ? null : String(root, "stop_type") == "limit" ? "length" : "stop",
            PromptTokens = stopped ? Long(root, "tokens_evaluated") : null,
            CompletionTokens = stopped ? Long(root, "tokens_predicted") : null,
            IsLast = stopped,
        };
    }

    internal static string? String(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    internal static long? Long(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var l) ? l : null;

    internal static double? Double(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
}

/// <summary>llama-server's per-request timings (milliseconds, as floats).</summary>
internal sealed record LlamaServerTimings(long CacheN, long PromptN, double PromptMs, long PredictedN, double PredictedMs)
{
    public static LlamaServerTimings? From(JsonElement root) =>
        root.TryGetProperty("timings", out var t) && t.ValueKind == JsonValueKind.Object
            ? new LlamaServerTimings(
                LlamaServerUpdate.Long(t, "cache_n") ?? 0,
                LlamaServerUpdate.Long(t, "prompt_n") ?? 0,
                LlamaServerUpdate.Double(t, "prompt_ms") ?? 0,
                LlamaServerUpdate.Long(t, "predicted_n") ?? 0,
                LlamaServerUpdate.Double(t, "predicted_ms") ?? 0)
            : null;
}

/// <summary>A piece of a streamed tool call: the first carries id and name, the rest only argument text.</summary>
internal sealed record ToolCallFragment(int Index, string? Id, string? Name, string? Arguments)
{
    public static ToolCallFragment From(JsonElement call, int position)
    {
        var function = call.TryGetProperty("function", out var f) && f.ValueKind == JsonValueKind.Object ? f : default;
        return new ToolCallFragment(
            call.TryGetProperty("index", out var i) && i.TryGetInt32(out var index) ? index : position,
            LlamaServerUpdate.String(call, "id"),
            function.ValueKind == JsonValueKind.Object ? LlamaServerUpdate.String(function, "name") : null,
            function.ValueKind == JsonValueKind.Object ? LlamaServerUpdate.String(function, "arguments") : null);
    }
}
