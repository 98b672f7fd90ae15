using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlamaAspire.Gateway.Forwarding;

namespace LlamaAspire.Gateway.Anthropic;

/// <summary>
/// llama-server's chat stream as an Anthropic Messages answer. Streaming: message_start, then per content block
/// (thinking, text, or tool_use) content_block_start, its deltas (thinking_delta, text_delta, input_json_delta) and content_block_stop, a ping
/// after the first block opens, and message_delta (stop_reason, usage) and message_stop last.
/// </summary>
public sealed class AnthropicAnswerTranslator : IChatAnswerTranslator
{
    private readonly ChatRequest _request;
    private readonly Func<string, string> _newId;
    private readonly string _id;
    private readonly LlamaChatState _state = new();
    private readonly List<JsonObject> _blocks = [];
    private readonly Dictionary<int, OpenToolUse> _calls = [];
    private OpenBlock? _open;
    private bool _pinged;

    /// <param name="newId">Makes an id from a prefix ("msg", "toolu").</param>
    public AnthropicAnswerTranslator(ChatRequest request, Func<string, string> newId)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(newId);
        _request = request;
        _newId = newId;
        _id = newId("msg");
    }

    public bool IsLast => _state.IsLast;
    public bool IsComplete => _state.FinishReason is not null;
    public string? ErrorMessage => _state.ErrorMessage;
    public int? ErrorStatus => _state.ErrorStatus;

    // llama-server counts the prompt only at the end; message_delta carries the real input_tokens.
    public IReadOnlyList<byte[]> Start() =>
    [
        Event("message_start", new JsonObject { ["message"] = Message([], null, new JsonObject { ["input_tokens"] = 0, ["output_tokens"] = 0 }) }),
    ];

    public IReadOnlyList<byte[]> Push(byte[] payload)
    {
        var update = _state.Read(payload);
        if (update is null) return [];
        var events = new List<byte[]>();
        if (!string.IsNullOrEmpty(update.Reasoning))
        {
            if (_open is not OpenThinking thinking)
            {
                Close(events);
                thinking = new OpenThinking(_blocks.Count);
                Open(thinking, events);
            }
            thinking.Thinking.Append(update.Reasoning);
            events.Add(Event("content_block_delta", new JsonObject
            {
                ["index"] = thinking.Index, ["delta"] = new JsonObject { ["type"] = "thinking_delta", ["thinking"] = update.Reasoning },
            }));
        }
        if (!string.IsNullOrEmpty(update.Content))
        {
            if (_open is not OpenText text)
            {
                Close(events);
                text = new OpenText(_blocks.Count);
                Open(text, events);
            }
            text.Text.Append(update.Content);
            events.Add(Event("content_block_delta", new JsonObject
            {
                ["index"] = text.Index, ["delta"] = new JsonObject { ["type"] = "text_delta", ["text"] = update.Content },
            }));
        }
        foreach (var fragment in update.ToolCalls)
        {
            if (!_calls.TryGetValue(fragment.Index, out var call))
            {
                Close(events);
                call = new OpenToolUse(_blocks.Count, _newId("toolu"), fragment.Name ?? "");
                _calls[fragment.Index] = call;
                Open(call, events);
            }
            if (string.IsNullOrEmpty(fragment.Arguments)) continue;
            call.Arguments.Append(fragment.Arguments);
            events.Add(Event("content_block_delta", new JsonObject
            {
                ["index"] = call.Index, ["delta"] = new JsonObject { ["type"] = "input_json_delta", ["partial_json"] = fragment.Arguments },
            }));
        }
        return events;
    }

    public IReadOnlyList<byte[]> Finish()
    {
        var events = new List<byte[]>();
        // Clients look for a text block: an answer with none (nothing at all, or only thinking) gets an empty one.
        if (!HasAnswer) OpenEmptyText(events);
        Close(events);
        events.Add(Event("message_delta", new JsonObject
        {
            ["delta"] = new JsonObject { ["stop_reason"] = StopReason, ["stop_sequence"] = null },
            ["usage"] = Usage(),
        }));
        events.Add(Event("message_stop", []));
        return events;
    }

    public IReadOnlyList<byte[]> Fail(string message) =>
        [Event("error", new JsonObject { ["error"] = new JsonObject { ["type"] = "api_error", ["message"] = message } })];

    public byte[] Aggregate()
    {
        if (!HasAnswer) OpenEmptyText(null);
        Close(null);
        return SseFrame.Body(Message(new JsonArray([.. _blocks]), StopReason, Usage()));
    }

    private bool HasAnswer => _open is OpenText or OpenToolUse || _blocks.Any(b => b["type"]!.GetValue<string>() is "text" or "tool_use");

    private void OpenEmptyText(List<byte[]>? events)
    {
        Close(events);
        Open(new OpenText(_blocks.Count), events);
    }

    private string StopReason => _state.FinishReason switch
    {
        "length" => "max_tokens",
        "tool_calls" => "tool_use",
        _ => _calls.Count > 0 ? "tool_use" : "end_turn",
    };

    private JsonObject Usage() => new() { ["input_tokens"] = _state.PromptTokens, ["output_tokens"] = _state.CompletionTokens };

    private JsonObject Message(JsonArray content, string? stopReason, JsonObject usage) => new()
    {
        ["id"] = _id,
        ["type"] = "message",
        ["role"] = "assistant",
        ["model"] = _request.Model,
        ["content"] = content,
        ["stop_reason"] = stopReason,
        ["stop_sequence"] = null,
        ["usage"] = usage,
    };

    private void Open(OpenBlock block, List<byte[]>? events)
    {
        _open = block;
        if (events is null) return;
        events.Add(Event("content_block_start", new JsonObject { ["index"] = block.Index, ["content_block"] = block.Start() }));
        if (_pinged) return;
        _pinged = true;
        events.Add(Event("ping", []));
    }

    private void Close(List<byte[]>? events)
    {
        if (_open is null) return;
        // A thinking block ends with its signature; there is none to give, so it is empty.
        if (_open is OpenThinking)
            events?.Add(Event("content_block_delta", new JsonObject { ["index"] = _open.Index, ["delta"] = new JsonObject { ["type"] = "signature_delta", ["signature"] = "" } }));
        _blocks.Add(_open.Final());
        events?.Add(Event("content_block_stop", new JsonObject { ["index"] = _open.Index }));
        _open = null;
    }

    private static byte[] Event(string type, JsonObject data)
    {
        var ordered = new JsonObject { ["type"] = type };
        foreach (var (key, value) in data.ToList())
        {
            data.Remove(key);
            ordered[key] = value;
        }
        return SseFrame.Named(type, ordered);
    }

    private abstract class OpenBlock(int index)
    {
        public int Index { get; } = index;
        public abstract JsonObject Start();
        public abstract JsonObject Final();
    }

    private sealed class OpenText(int index) : OpenBlock(index)
    {
        public StringBuilder Text { get; } = new();
        public override JsonObject Start() => new() { ["type"] = "text", ["text"] = "" };
        public override JsonObject Final() => new() { ["type"] = "text", ["text"] = Text.ToString() };
    }

    private sealed class OpenThinking(int index) : OpenBlock(index)
    {
        public StringBuilder Thinking { get; } = new();
        public override JsonObject Start() => new() { ["type"] = "thinking", ["thinking"] = "", ["signature"] = "" };
        public override JsonObject Final() => new() { ["type"] = "thinking", ["thinking"] = Thinking.ToString(), ["signature"] = "" };
    }

    private sealed class OpenToolUse(int index, string id, string name) : OpenBlock(index)
    {
        public StringBuilder Arguments { get; } = new();
        public override JsonObject Start() => new() { ["type"] = "tool_use", ["id"] = id, ["name"] = name, ["input"] = new JsonObject() };
        public override JsonObject Final() => new() { ["type"] = "tool_use", ["id"] = id, ["name"] = name, ["input"] = Input(Arguments.ToString()) };

        // A model can write arguments that are not a JSON object; they still reach the client, as a string.
        private static JsonObject Input(string text)
        {
            if (string.IsNullOrWhiteSpace(text)) return new JsonObject();
            try
            {
                return JsonNode.Parse(text) is JsonObject input ? input : new JsonObject { ["arguments"] = text };
            }
            catch (JsonException)
            {
                return new JsonObject { ["arguments"] = text };
            }
        }
    }
}
