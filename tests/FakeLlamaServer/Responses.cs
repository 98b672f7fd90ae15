using System.Text.Json;

namespace LlamaAspire.FakeLlamaServer;

/// <summary>The JSON bodies and SSE chunks of one response, in llama-server's shapes.</summary>
public sealed class Responses(string model, string id, string fingerprint, long created, Generation generation)
{
    public string Chat(string text) => Json.Write(w =>
    {
        w.WriteStartArray("choices");
        w.WriteStartObject();
        w.WriteString("finish_reason", generation.FinishReason);
        w.WriteNumber("index", 0);
        w.WriteStartObject("message");
        w.WriteString("role", "assistant");
        w.WriteString("content", text);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndArray();
        Envelope(w, "chat.completion");
        generation.WriteUsage(w);
        generation.WriteTimings(w);
    });

    public string ChatRoleChunk() => ChatDelta(w =>
    {
        w.WriteString("role", "assistant");
        w.WriteNull("content");
    }, finishReason: null, withTimings: false);

    public string ChatChunk(string token) => ChatDelta(w => w.WriteString("content", token), finishReason: null, withTimings: false);

    public string ChatFinishChunk(bool withTimings) => ChatDelta(_ => { }, generation.FinishReason, withTimings);

    public string ChatUsageChunk() => Json.Write(w =>
    {
        w.WriteStartArray("choices");
        w.WriteEndArray();
        Envelope(w, "chat.completion.chunk");
        generation.WriteUsage(w);
        generation.WriteTimings(w);
    });

    public string TextCompletion(string text) => Json.Write(w =>
    {
        TextChoice(w, text, generation.FinishReason);
        Envelope(w, "text_completion");
        generation.WriteUsage(w);
        generation.WriteTimings(w);
    });

    public string TextChunk(string token) => Json.Write(w =>
    {
        TextChoice(w, token, finishReason: null);
        Envelope(w, "text_completion");
    });

    public string TextFinishChunk() => TextCompletion("");

    public string NativeChunk(string token, int index) => Json.Write(w =>
    {
        w.WriteNumber("index", 0);
        w.WriteString("content", token);
        w.WriteStartArray("tokens");
        w.WriteNumberValue(index);
        w.WriteEndArray();
        w.WriteBoolean("stop", false);
        w.WriteNumber("id_slot", -1);
        w.WriteNumber("tokens_predicted", index + 1);
        w.WriteNumber("tokens_evaluated", generation.PromptTokens);
    });

    public string NativeFinal(string text, bool stream) => Json.Write(w =>
    {
        w.WriteNumber("index", 0);
        w.WriteString("content", text);
        w.WriteStartArray("tokens");
        w.WriteEndArray();
        w.WriteNumber("id_slot", 0);
        w.WriteBoolean("stop", true);
        w.WriteString("model", model);
        w.WriteNumber("tokens_predicted", generation.Count);
        w.WriteNumber("tokens_evaluated", generation.PromptTokens);
        w.WriteStartObject("generation_settings");
        w.WriteNumber("n_predict", generation.Count);
        w.WriteBoolean("stream", stream);
        w.WriteEndObject();
        w.WriteString("prompt", "");
        w.WriteBoolean("has_new_line", false);
        w.WriteBoolean("truncated", false);
        w.WriteString("stop_type", generation.FinishReason == "length" ? "limit" : "eos");
        w.WriteString("stopping_word", "");
        w.WriteNumber("tokens_cached", generation.PromptTokens + generation.Count);
        generation.WriteTimings(w);
    });

    private string ChatDelta(Action<Utf8JsonWriter> delta, string? finishReason, bool withTimings) => Json.Write(w =>
    {
        w.WriteStartArray("choices");
        w.WriteStartObject();
        if (finishReason is null) w.WriteNull("finish_reason");
        else w.WriteString("finish_reason", finishReason);
        w.WriteNumber("index", 0);
        w.WriteStartObject("delta");
        delta(w);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndArray();
        Envelope(w, "chat.completion.chunk");
        if (withTimings) generation.WriteTimings(w);
    });

    private static void TextChoice(Utf8JsonWriter w, string text, string? finishReason)
    {
        w.WriteStartArray("choices");
        w.WriteStartObject();
        w.WriteString("text", text);
        w.WriteNumber("index", 0);
        w.WriteNull("logprobs");
        if (finishReason is null) w.WriteNull("finish_reason");
        else w.WriteString("finish_reason", finishReason);
        w.WriteEndObject();
        w.WriteEndArray();
    }

    private void Envelope(Utf8JsonWriter w, string type)
    {
        w.WriteNumber("created", created);
        w.WriteString("id", id);
        w.WriteString("model", model);
        w.WriteString("system_fingerprint", fingerprint);
        w.WriteString("object", type);
    }
}
