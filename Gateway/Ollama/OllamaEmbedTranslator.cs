using System.Text.Json;
using System.Text.Json.Nodes;

namespace LlamaAspire.Gateway.Ollama;

/// <summary>
/// /api/embed and /api/embeddings ⇒ llama-server's POST /v1/embeddings, and back. llama-server returns L2-normalized
/// vectors, as Ollama does. It has no "dimensions" parameter, so a shorter vector is cut here and normalized again.
/// Inputs longer than the context are cut (or refused) before this, by <see cref="OllamaEmbedFit"/>.
/// </summary>
public static class OllamaEmbedTranslator
{
    public static LlamaServerCall ToLlamaServer(IReadOnlyList<string> inputs, string? servedModel = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var body = new JsonObject();
        if (servedModel is not null) body["model"] = servedModel;
        body["input"] = new JsonArray([.. inputs.Select(i => JsonValue.Create(i))]);
        body["encoding_format"] = "float";
        return new LlamaServerCall(LlamaServerCall.EmbeddingsPath, body);
    }

    public static LlamaServerCall ToLlamaServer(OllamaEmbeddingsRequest request, string? servedModel = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ToLlamaServer([request.Prompt ?? ""], servedModel);
    }

    /// <summary>llama-server's embeddings answer as /api/embed's, vectors in input order.</summary>
    public static OllamaEmbedResponse FromLlamaServer(JsonElement response, string model, int? dimensions, TimeSpan totalDuration, TimeSpan loadDuration)
    {
        var vectors = Vectors(response).Select(v => dimensions is > 0 and var d && d < v.Length ? Normalize(v[..d]) : v).ToList();
        var load = Math.Max(1, OllamaClock.Nanoseconds(loadDuration));
        return new OllamaEmbedResponse
        {
            Model = model,
            Embeddings = vectors,
            TotalDuration = Math.Max(load, OllamaClock.Nanoseconds(totalDuration)),
            LoadDuration = load,
            PromptEvalCount = response.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object
                ? LlamaServerUpdate.Long(usage, "prompt_tokens") ?? 0
                : 0,
        };
    }

    /// <summary>llama-server's embeddings answer as the legacy /api/embeddings one: the first vector, as is.</summary>
    public static OllamaEmbeddingsResponse FromLlamaServerLegacy(JsonElement response) =>
        new(Vectors(response).FirstOrDefault() is { } first ? [.. first.Select(f => (double)f)] : []);

    private static IEnumerable<float[]> Vectors(JsonElement response)
    {
        if (!response.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array) return [];
        return data.EnumerateArray()
            .Select((item, position) => (Index: LlamaServerUpdate.Long(item, "index") ?? position, Item: item))
            .OrderBy(x => x.Index)
            .Select(x => x.Item.TryGetProperty("embedding", out var e) && e.ValueKind == JsonValueKind.Array
                ? e.EnumerateArray().Select(n => n.GetSingle()).ToArray()
                : []);
    }

    private static float[] Normalize(float[] vector)
    {
        var norm = Math.Sqrt(vector.Sum(x => (double)x * x));
        return norm == 0 ? vector : [.. vector.Select(x => (float)(x / norm))];
    }
}
