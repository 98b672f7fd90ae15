using System.Text;

namespace LlamaAspire.Gateway.Ollama;

public enum OllamaAnswerKind
{
    /// <summary>/api/chat: text goes in message.content, reasoning in message.thinking.</summary>
    Chat,

    /// <summary>/api/generate: text goes in response, reasoning in thinking.</summary>
    Generate,
}

/// <summary>
/// Turns one llama-server answer, fed SSE data payload by payload, into Ollama's answer. Streaming: each
/// <see cref="Push"/> returns the NDJSON lines to write now, and <see cref="Finish"/> the done:true line.
/// Aggregating (the client sent "stream": false): <see cref="Push"/> returns nothing and <see cref="Finish"/> the
/// single JSON object. No I/O: the caller reads the SSE events (dropping ":" pings) and writes the bytes.
/// </summary>
public sealed class OllamaAnswerTranslator
{
    private readonly OllamaAnswerKind _kind;
    private readonly string _model;
    private readonly bool _aggregate;
    private readonly TimeProvider _time;
    private readonly ToolCallAccumulator _pendingCalls = new();
    private readonly StringBuilder _content = new();
    private readonly StringBuilder _thinking = new();
    private readonly List<OllamaToolCall> _toolCalls = [];
    private string? _finishReason;
    private LlamaServerTimings? _timings;
    private long? _promptTokens;
    private long? _completionTokens;

    /// <param name="model">The name the client asked for; llama-server's own name never reaches the client.</param>
    /// <param name="aggregate">True when the client asked for one JSON object ("stream": false).</param>
    public OllamaAnswerTranslator(OllamaAnswerKind kind, string model, bool aggregate, TimeProvider time)
    {
        _kind = kind;
        _model = model;
        _aggregate = aggregate;
        _time = time;
    }

    /// <summary>llama-server has said its last word ("[DONE]", or a native stop:true chunk).</summary>
    public bool IsComplete { get; private set; }

    /// <summary>Set when llama-server sent an error event (or garbage); in streaming mode it has been returned as a line.</summary>
    public string? ErrorMessage { get; private set; }

    /// <summary>The HTTP status llama-server put in its error event, if any.</summary>
    public int? ErrorCode { get; private set; }

    /// <summary>The upstream error as Ollama's status and message, for a client that has had no byte yet (aggregating).</summary>
    public OllamaError? Error => ErrorMessage is null ? null : OllamaErrors.FromLlamaServer(ErrorCode ?? StatusCodes.Status500InternalServerError, ErrorMessage);

    public IReadOnlyList<byte[]> Push(ReadOnlySpan<byte> payload)
    {
        if (IsComplete || ErrorMessage is not null) return [];
        var update = LlamaServerUpdate.ParseOrError(payload);
        if (update.ErrorMessage is { } error)
        {
            ErrorMessage = error;
            ErrorCode = update.ErrorCode;
            return _aggregate ? [] : [OllamaErrors.StreamLine(error)];
        }

        _timings = update.Timings ?? _timings;
        _promptTokens = update.PromptTokens ?? _promptTokens;
        _completionTokens = update.CompletionTokens ?? _completionTokens;
        _finishReason = update.FinishReason ?? _finishReason;
        foreach (var fragment in update.ToolCalls) _pendingCalls.Add(fragment);

        var lines = new List<byte[]>();
        if (!string.IsNullOrEmpty(update.Content) || !string.IsNullOrEmpty(update.Reasoning))
        {
            if (_aggregate)
            {
                _content.Append(update.Content);
                _thinking.Append(update.Reasoning);
            }
            else
            {
                lines.Add(Line(update.Content ?? "", NullIfEmpty(update.Reasoning), null));
            }
        }
        // Calls are complete once the choice finishes; Ollama sends each call whole, in one chunk.
        if ((update.FinishReason is not null || update.IsLast) && !_pendingCalls.IsEmpty)
        {
            var calls = _pendingCalls.Drain();
            if (_aggregate) _toolCalls.AddRange(calls);
            else lines.Add(Line("", null, calls));
        }
        IsComplete = update.IsLast;
        return lines;
    }

    /// <summary>
    /// The done:true line (streaming, '\n'-terminated) or the whole answer (aggregating, no newline). Call once
    /// <see cref="IsComplete"/>; durations are the gateway's wall clock for the request and for getting the model ready.
    /// </summary>
    public byte[] Finish(TimeSpan totalDuration, TimeSpan loadDuration)
    {
        var doneReason = _finishReason == "length" ? "length" : "stop";
        var promptCount = _promptTokens ?? (_timings is { } t ? t.CacheN + t.PromptN : 0);
        var evalCount = _completionTokens ?? _timings?.PredictedN ?? 0;
        var promptDuration = OllamaClock.NanosecondsFromMilliseconds(_timings?.PromptMs ?? 0);
        var evalDuration = OllamaClock.NanosecondsFromMilliseconds(_timings?.PredictedMs ?? 0);
        var content = _aggregate ? _content.ToString() : "";
        var thinking = _aggregate ? NullIfEmpty(_thinking.ToString()) : null;
        var calls = _aggregate && _toolCalls.Count > 0 ? _toolCalls : null;
        // Ollama reports a small positive load time even when the model was ready; zero would drop the field.
        var load = Math.Max(1, OllamaClock.Nanoseconds(loadDuration));
        var total = Math.Max(load, OllamaClock.Nanoseconds(totalDuration));

        object final = _kind == OllamaAnswerKind.Chat
            ? new OllamaChatResponse
            {
                Model = _model, CreatedAt = OllamaClock.CreatedAt(_time), Message = Assistant(content, thinking, calls),
                Done = true, DoneReason = doneReason, TotalDuration = total, LoadDuration = load,
                PromptEvalCount = promptCount, PromptEvalDuration = promptDuration, EvalCount = evalCount, EvalDuration = evalDuration,
            }
            : new OllamaGenerateResponse
            {
                Model = _model, CreatedAt = OllamaClock.CreatedAt(_time), Response = content, Thinking = thinking, ToolCalls = calls,
                Done = true, DoneReason = doneReason, TotalDuration = total, LoadDuration = load,
                PromptEvalCount = promptCount, PromptEvalDuration = promptDuration, EvalCount = evalCount, EvalDuration = evalDuration,
            };
        return _aggregate ? OllamaJson.Serialize(final) : OllamaJson.SerializeLine(final);
    }

    private byte[] Line(string content, string? thinking, IReadOnlyList<OllamaToolCall>? calls) => _kind == OllamaAnswerKind.Chat
        ? OllamaJson.SerializeLine(new OllamaChatResponse
        {
            Model = _model, CreatedAt = OllamaClock.CreatedAt(_time), Message = Assistant(content, thinking, calls),
        })
        : OllamaJson.SerializeLine(new OllamaGenerateResponse
        {
            Model = _model, CreatedAt = OllamaClock.CreatedAt(_time), Response = content, Thinking = thinking, ToolCalls = calls,
        });

    private static OllamaMessage Assistant(string content, string? thinking, IReadOnlyList<OllamaToolCall>? calls) =>
        new() { Role = "assistant", Content = content, Thinking = thinking, ToolCalls = calls };

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
