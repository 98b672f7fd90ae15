using System.Text.Json;

namespace LlamaAspire.Gateway.Ollama;

/// <summary>
/// /api/show's model_info from the GGUF key/values: all keys but general.name and tokenizer.chat_template, sorted as Go
/// sorts map keys, with general.parameter_count added when the file lacks it. Unless verbose, arrays of more than five
/// elements become [] as in Ollama (tokenizer.ggml.tokens, merges, token_type), and so do the arrays MetadataService left
/// unread ({"elementType","count"} summaries).
/// </summary>
public static class OllamaModelInfo
{
    public const int MaxArrayLengthUnlessVerbose = 5;

    private static readonly string[] Omitted = ["general.name", "tokenizer.chat_template"];
    private static readonly JsonElement EmptyArray = JsonDocument.Parse("[]").RootElement.Clone();

    public static SortedDictionary<string, JsonElement> From(IReadOnlyDictionary<string, JsonElement>? metadata, long? parameterCount, bool verbose)
    {
        var info = new SortedDictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (key, value) in metadata ?? new Dictionary<string, JsonElement>())
        {
            if (Omitted.Contains(key, StringComparer.Ordinal)) continue;
            info[key] = IsElided(value, verbose) ? EmptyArray : value;
        }
        if (parameterCount is { } count && !info.ContainsKey("general.parameter_count"))
            info["general.parameter_count"] = JsonSerializer.SerializeToElement(count);
        return info;
    }

    private static bool IsElided(JsonElement value, bool verbose) =>
        value.ValueKind == JsonValueKind.Object
        || (!verbose && value.ValueKind == JsonValueKind.Array && value.GetArrayLength() > MaxArrayLengthUnlessVerbose);
}
