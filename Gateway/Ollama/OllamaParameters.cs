using System.Globalization;
using System.Text;
using System.Text.Json;

namespace LlamaAspire.Gateway.Ollama;

/// <summary>
/// Modelfile parameters a GGUF states. Only its stop tokens: the end-of-sequence and end-of-turn tokens' text, which needs
/// the token list. MetadataService sends lists of more than 1024 elements only with ?full=true, so for real vocabularies
/// they are known with verbose, and for tiny ones always; an honest gap rather than a guess. num_ctx is left out
/// on purpose: Continue sends back whatever num_ctx it reads here, and the trained context (often 128K) would make every
/// load reserve that much KV cache.
/// </summary>
public static class OllamaParameters
{
    private const int KeyWidth = 30;
    private static readonly string[] StopTokenKeys = ["tokenizer.ggml.eos_token_id", "tokenizer.ggml.eot_token_id"];

    public static IReadOnlyList<KeyValuePair<string, string>> From(IReadOnlyDictionary<string, JsonElement>? metadata)
    {
        if (metadata is null || !metadata.TryGetValue("tokenizer.ggml.tokens", out var tokens) || tokens.ValueKind != JsonValueKind.Array) return [];
        var stops = new List<string>();
        foreach (var key in StopTokenKeys)
        {
            if (!metadata.TryGetValue(key, out var id) || !id.TryGetInt32(out var index) || index < 0 || index >= tokens.GetArrayLength()) continue;
            if (tokens[index].ValueKind == JsonValueKind.String && tokens[index].GetString() is { Length: > 0 } text && !stops.Contains(text)) stops.Add(text);
        }
        return [.. stops.Select(s => new KeyValuePair<string, string>("stop", s))];
    }

    /// <summary>
    /// /api/show's parameters text: per value, the key padded to 30 characters, a space and the value as Go's %#v writes a
    /// string (double-quoted); Continue reads num_ctx and stop from these lines with a regex. Null when there is none.
    /// </summary>
    public static string? Format(IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return parameters.Count == 0 ? null : string.Join('\n', parameters.Select(p => $"{p.Key.PadRight(KeyWidth)} {GoQuote(p.Value)}"));
    }

    /// <summary>Go's strconv.Quote for the characters that occur in tokens: quotes, backslashes and control characters escaped.</summary>
    public static string GoQuote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var quoted = new StringBuilder("\"");
        foreach (var c in value)
        {
            quoted.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => string.Create(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}"),
                _ => c.ToString(),
            });
        }
        return quoted.Append('"').ToString();
    }
}
