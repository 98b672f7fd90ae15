using System.Text.Json.Nodes;

namespace LlamaAspire.Gateway.Ollama;

/// <summary>Writes Ollama's per-request options as llama-server request fields (the names both of its dialects accept).</summary>
internal static class LlamaServerSampling
{
    /// <param name="maxTokensField">"max_tokens" on the OpenAI-compatible endpoint, "n_predict" on the native ones.</param>
    public static void Apply(JsonObject body, OllamaRuntimeOptions options, string maxTokensField)
    {
        // Ollama: -1 = no limit, -2 = until the context is full. llama-server refuses anything below -1 (checked on
        // 3.22.1) and stops at a full context anyway unless context shift is on, so both mean "send nothing".
        if (options.NumPredict is >= 0 and var n) body[maxTokensField] = n;
        Set(body, "temperature", options.Temperature);
        Set(body, "top_k", options.TopK);
        Set(body, "top_p", options.TopP);
        Set(body, "min_p", options.MinP);
        Set(body, "typical_p", options.TypicalP);
        Set(body, "repeat_penalty", options.RepeatPenalty);
        Set(body, "repeat_last_n", options.RepeatLastN);
        Set(body, "presence_penalty", options.PresencePenalty);
        Set(body, "frequency_penalty", options.FrequencyPenalty);
        Set(body, "seed", options.Seed);
        if (options.Stop is { Count: > 0 } stop) body["stop"] = new JsonArray([.. stop.Select(s => JsonValue.Create(s))]);
        Set(body, "n_keep", options.NumKeep);
        Set(body, "mirostat", options.Mirostat);
        Set(body, "mirostat_tau", options.MirostatTau);
        Set(body, "mirostat_eta", options.MirostatEta);
    }

    private static void Set<T>(JsonObject body, string name, T? value) where T : struct
    {
        if (value is { } v) body[name] = JsonValue.Create(v);
    }
}
