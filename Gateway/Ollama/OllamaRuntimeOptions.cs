using System.Text.Json;

namespace LlamaAspire.Gateway.Ollama;

/// <summary>
/// The request's "options" map, typed. Only the per-request sampling settings reach llama-server; num_ctx is a
/// load-time property the caller asks the RunnerAgent for. The other load-time keys (num_gpu, num_batch, num_thread,
/// use_mmap, ...) and the keys Ollama dropped (tfs_z, ...) are type-checked like Ollama does and then ignored.
/// </summary>
public sealed record OllamaRuntimeOptions
{
    public static OllamaRuntimeOptions None { get; } = new();

    /// <summary>The context length the client wants loaded; never sent to llama-server.</summary>
    public int? NumCtx { get; init; }

    public int? NumPredict { get; init; }
    public double? Temperature { get; init; }
    public int? TopK { get; init; }
    public double? TopP { get; init; }
    public double? MinP { get; init; }
    public double? TypicalP { get; init; }
    public double? RepeatPenalty { get; init; }
    public int? RepeatLastN { get; init; }
    public double? PresencePenalty { get; init; }
    public double? FrequencyPenalty { get; init; }
    public long? Seed { get; init; }
    public IReadOnlyList<string>? Stop { get; init; }
    public int? NumKeep { get; init; }
    public int? Mirostat { get; init; }
    public double? MirostatTau { get; init; }
    public double? MirostatEta { get; init; }

    /// <summary>Reads the map; unknown keys are ignored (Ollama only logs them), a wrong type is an error.</summary>
    public static bool TryFrom(IReadOnlyDictionary<string, JsonElement>? map, out OllamaRuntimeOptions options, out string? error)
    {
        options = None;
        error = null;
        if (map is null) return true;
        foreach (var (key, value) in map)
        {
            if (value.ValueKind == JsonValueKind.Null) continue;
            var read = ReadOne(options, key, value);
            if (read is null)
            {
                error = $"option \"{key}\" must be of type {ExpectedType(key)}";
                options = None;
                return false;
            }
            options = read;
        }
        return true;
    }

    private static OllamaRuntimeOptions? ReadOne(OllamaRuntimeOptions o, string key, JsonElement v) => key switch
    {
        "num_ctx" => Int(v) is { } i ? o with { NumCtx = i } : null,
        "num_predict" => Int(v) is { } i ? o with { NumPredict = i } : null,
        "temperature" => Float(v) is { } f ? o with { Temperature = f } : null,
        "top_k" => Int(v) is { } i ? o with { TopK = i } : null,
        "top_p" => Float(v) is { } f ? o with { TopP = f } : null,
        "min_p" => Float(v) is { } f ? o with { MinP = f } : null,
        "typical_p" => Float(v) is { } f ? o with { TypicalP = f } : null,
        "repeat_penalty" => Float(v) is { } f ? o with { RepeatPenalty = f } : null,
        "repeat_last_n" => Int(v) is { } i ? o with { RepeatLastN = i } : null,
        "presence_penalty" => Float(v) is { } f ? o with { PresencePenalty = f } : null,
        "frequency_penalty" => Float(v) is { } f ? o with { FrequencyPenalty = f } : null,
        "seed" => Long(v) is { } l ? o with { Seed = l } : null,
        "stop" => Strings(v) is { } s ? o with { Stop = s } : null,
        "num_keep" => Int(v) is { } i ? o with { NumKeep = i } : null,
        "mirostat" => Int(v) is { } i ? o with { Mirostat = i } : null,
        "mirostat_tau" => Float(v) is { } f ? o with { MirostatTau = f } : null,
        "mirostat_eta" => Float(v) is { } f ? o with { MirostatEta = f } : null,
        "num_batch" or "num_gpu" or "main_gpu" or "num_thread" or "draft_num_predict" or "num_gqa" => Int(v) is null ? null : o,
        "tfs_z" => Float(v) is null ? null : o,
        "use_mmap" or "use_mlock" or "numa" or "low_vram" or "vocab_only" or "penalize_newline" =>
            v.ValueKind is JsonValueKind.True or JsonValueKind.False ? o : null,
        _ => o,
    };

    private static string ExpectedType(string key) => key switch
    {
        "stop" => "array of strings",
        "use_mmap" or "use_mlock" or "numa" or "low_vram" or "vocab_only" or "penalize_newline" => "boolean",
        "temperature" or "top_p" or "min_p" or "typical_p" or "repeat_penalty" or "presence_penalty" or "frequency_penalty"
            or "mirostat_tau" or "mirostat_eta" or "tfs_z" => "float",
        _ => "integer",
    };

    // JSON numbers are accepted for integers and truncated, as Go's conversion from float64 does.
    private static long? Long(JsonElement v) => v.ValueKind != JsonValueKind.Number ? null
        : v.TryGetInt64(out var l) ? l
        : (long)Math.Truncate(v.GetDouble());

    private static int? Int(JsonElement v) => Long(v) is { } l ? (int)Math.Clamp(l, int.MinValue, int.MaxValue) : null;

    private static double? Float(JsonElement v) => v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    // A lone string is taken as a one-element list; clients written against OpenAI send that.
    private static List<string>? Strings(JsonElement v)
    {
        if (v.ValueKind == JsonValueKind.String) return [v.GetString()!];
        if (v.ValueKind != JsonValueKind.Array) return null;
        var list = new List<string>();
        foreach (var item in v.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String) return null;
            list.Add(item.GetString()!);
        }
        return list;
    }
}
