using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlamaAspire.Gateway.Forwarding;
using LlamaAspire.Gateway.Ollama;

namespace LlamaAspire.Gateway.LmStudio;

/// <summary>
/// llama-server's chat stream as LM Studio's REST v1 chat answer. Streaming: chat.start, model_load.start/end when this
/// request loaded the model, prompt_processing.start, prompt_processing.end at the first token, then a
/// reasoning.start/delta/end or message.start/delta/end block each time the kind of text changes, and chat.end carrying
/// the whole answer; a failure sends an error event before chat.end. Stats come from llama-server's usage and timings;
/// reasoning tokens are counted as reasoning deltas (llama-server streams one token per delta).
/// </summary>
public sealed class LmStudioV1ChatAnswerTranslator : IChatAnswerTranslator
{
    private readonly ChatRequest _request;
    private readonly string _instanceId;
    private readonly TimeSpan? _loadTime;
    private readonly string? _responseId;
    private readonly Action<string, JsonArray>? _store;
    private readonly LlamaChatState _state = new();
    private readonly List<(string Type, StringBuilder Text)> _output = [];
    private (string Type, StringBuilder Text)? _open;
    private LlamaServerTimings? _timings;
    private long _reasoningDeltas;
    private bool _prompted;

    /// <param name="instanceId">The loaded model instance that answers (its model id).</param>
    /// <param name="loadTime">How long loading the model took, when this request loaded it; null when it was loaded already.</param>
    /// <param name="newId">Makes an id from a prefix ("resp").</param>
    /// <param name="store">Keeps a finished answer's conversation under its response_id, unless the request said "store": false.</param>
    public LmStudioV1ChatAnswerTranslator(ChatRequest request, string instanceId, TimeSpan? loadTime, Func<string, string> newId, Action<string, JsonArray>? store)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(newId);
        _request = request;
        _instanceId = instanceId;
        _loadTime = loadTime;
        var stored = !(request.Original.ValueKind == JsonValueKind.Object
            && request.Original.TryGetProperty("store", out var keep) && keep.ValueKind == JsonValueKind.False);
        if (stored && store is not null)
        {
            _store = store;
            _responseId = newId("resp");
        }
    }

    public bool IsLast => _state.IsLast;
    public bool IsComplete => _state.FinishReason is not null;
    public string? ErrorMessage => _state.ErrorMessage;
    public int? ErrorStatus => _state.ErrorStatus;

    public IReadOnlyList<byte[]> Start()
    {
        var events = new List<byte[]> { Event("chat.start", new JsonObject { ["model_instance_id"] = _instanceId }) };
        if (_loadTime is { } load)
        {
            events.Add(Event("model_load.start", new JsonObject { ["model_instance_id"] = _instanceId }));
            events.Add(Event("model_load.end", new JsonObject { ["model_instance_id"] = _instanceId, ["load_time_seconds"] = Seconds(load.TotalMilliseconds) }));
        }
        events.Add(Event("prompt_processing.start", new JsonObject()));
        return events;
    }

    public IReadOnlyList<byte[]> Push(byte[] payload)
    {
        var update = _state.Read(payload);
        if (update is null) return [];
        if (update.Timings is { } timings) _timings = timings;
        var events = new List<byte[]>();
        if (!string.IsNullOrEmpty(update.Reasoning))
        {
            _reasoningDeltas++;
            Append(events, "reasoning", update.Reasoning);
        }
        if (!string.IsNullOrEmpty(update.Content)) Append(events, "message", update.Content);
        return events;
    }

    public IReadOnlyList<byte[]> Finish()
    {
        var events = new List<byte[]>();
        EndPrompt(events);
        Close(events);
        Keep();
        events.Add(Event("chat.end", new JsonObject { ["result"] = Result() }));
        return events;
    }

    public IReadOnlyList<byte[]> Fail(string message)
    {
        var events = new List<byte[]>();
        Close(events);
        events.Add(Event("error", new JsonObject { ["error"] = new JsonObject { ["type"] = "unknown", ["message"] = message } }));
        events.Add(Event("chat.end", new JsonObject { ["result"] = Result() }));
        return events;
    }

    public byte[] Aggregate()
    {
        Close(null);
        Keep();
        return SseFrame.Body(Result());
    }

    private void Append(List<byte[]> events, string type, string text)
    {
        EndPrompt(events);
        if (_open?.Type != type)
        {
            Close(events);
            _open = (type, new StringBuilder());
            events.Add(Event($"{type}.start", new JsonObject()));
        }
        _open.Value.Text.Append(text);
        events.Add(Event($"{type}.delta", new JsonObject { ["content"] = text }));
    }

    private void EndPrompt(List<byte[]> events)
    {
        if (_prompted) return;
        _prompted = true;
        events.Add(Event("prompt_processing.end", new JsonObject()));
    }

    private void Close(List<byte[]>? events)
    {
        if (_open is not { } open) return;
        _output.Add(open);
        _open = null;
        events?.Add(Event($"{open.Type}.end", new JsonObject()));
    }

    /// <summary>Hands the conversation (without this request's system prompt) and the answer to the store.</summary>
    private void Keep()
    {
        if (_store is null || !IsComplete) return;
        var messages = _request.Body["messages"] is JsonArray sent ? sent.Select(m => m!.DeepClone()).ToList() : [];
        if (messages.Count > 0 && messages[0]!["role"]!.GetValue<string>() == "system"
            && _request.Original.TryGetProperty("system_prompt", out var system) && system.ValueKind == JsonValueKind.String)
            messages.RemoveAt(0);
        messages.Add(new JsonObject { ["role"] = "assistant", ["content"] = string.Concat(_output.Where(o => o.Type == "message").Select(o => o.Text.ToString())) });
        _store(_responseId!, new JsonArray([.. messages]));
    }

    private JsonObject Result()
    {
        var output = new JsonArray();
        foreach (var (type, text) in _output) output.Add(new JsonObject { ["type"] = type, ["content"] = text.ToString() });
        var stats = new JsonObject
        {
            ["input_tokens"] = _state.PromptTokens,
            ["total_output_tokens"] = _state.CompletionTokens,
            ["reasoning_output_tokens"] = _state.CompletionTokens > 0 ? Math.Min(_reasoningDeltas, _state.CompletionTokens) : _reasoningDeltas,
            ["tokens_per_second"] = _timings is { PredictedMs: > 0 } t ? Math.Round(t.PredictedN * 1000 / t.PredictedMs, 3) : 0,
            ["time_to_first_token_seconds"] = Seconds(_timings?.PromptMs ?? 0),
        };
        if (_loadTime is { } load) stats["model_load_time_seconds"] = Seconds(load.TotalMilliseconds);
        var result = new JsonObject { ["model_instance_id"] = _instanceId, ["output"] = output, ["stats"] = stats };
        if (_responseId is not null && IsComplete) result["response_id"] = _responseId;
        return result;
    }

    private static double Seconds(double milliseconds) => Math.Round(milliseconds / 1000, 3);

    private static byte[] Event(string type, JsonObject data)
    {
        var framed = new JsonObject { ["type"] = type };
        foreach (var (key, value) in data.ToList())
        {
            data.Remove(key);
            framed[key] = value;
        }
        return SseFrame.Named(type, framed);
    }
}
