using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LlamaAspire.Gateway.Ollama;

/// <summary>
/// Ollama's "truncate" for embeddings: an input longer than the model's context is cut to fit (truncate absent or
/// true) or refused with Ollama's 400 (false). Only inputs that could be too long are tokenized, by the model's own
/// llama-server: a token never covers less than one byte, so an input is safe when its UTF-8 length plus the few
/// tokens a tokenizer adds (BOS, EOS, a leading space) fits.
/// </summary>
public static class OllamaEmbedFit
{
    public const string TooLong = "the input length exceeds the context length";
    private const int AddedTokens = 4;

    public static bool MayExceed(string input, int limit) => Encoding.UTF8.GetByteCount(input) + AddedTokens > limit;

    /// <summary>
    /// The inputs as llama-server should get them (a long one as its first <paramref name="limit"/> tokens), null when
    /// none needed cutting, or Ollama's error when one is too long and <paramref name="truncate"/> is false.
    /// </summary>
    public static async Task<(JsonArray? Input, OllamaError? Error)> FitAsync(
        HttpClient llamaServer, Uri endpoint, IReadOnlyList<string> inputs, bool truncate, int limit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(llamaServer);
        ArgumentNullException.ThrowIfNull(inputs);
        if (limit <= 0 || !inputs.Any(i => MayExceed(i, limit))) return (null, null);
        var fitted = new JsonArray();
        var cut = false;
        foreach (var input in inputs)
        {
            var tokens = MayExceed(input, limit) ? await TokenizeAsync(llamaServer, endpoint, input, ct) : null;
            if (tokens is null || tokens.Count <= limit)
            {
                fitted.Add(JsonValue.Create(input));
                continue;
            }
            if (!truncate) return (null, OllamaErrors.BadRequest(TooLong));
            fitted.Add(new JsonArray([.. tokens.Take(limit).Select(t => JsonValue.Create(t))]));
            cut = true;
        }
        return (cut ? fitted : null, null);
    }

    private static async Task<List<int>> TokenizeAsync(HttpClient llamaServer, Uri endpoint, string input, CancellationToken ct)
    {
        using var response = await llamaServer.PostAsJsonAsync(new Uri(endpoint, "/tokenize"), new { content = input, add_special = true }, ct);
        response.EnsureSuccessStatusCode();
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        if (!answer.TryGetProperty("tokens", out var tokens) || tokens.ValueKind != JsonValueKind.Array || tokens.EnumerateArray().Any(t => t.ValueKind != JsonValueKind.Number))
            throw new JsonException("llama-server's /tokenize answered without a token list");
        return [.. tokens.EnumerateArray().Select(t => t.GetInt32())];
    }
}
