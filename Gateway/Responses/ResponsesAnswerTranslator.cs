using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlamaAspire.Gateway.Forwarding;

namespace LlamaAspire.Gateway.Responses;

/// <summary>
/// llama-server's chat stream as an OpenAI Responses answer. Streaming: response.created and response.in_progress
/// first; each output item (reasoning, a message with one output_text part, or a function_call) is opened when its first
/// delta arrives and closed when the next one opens or the turn ends; response.completed (or response.incomplete when
/// max_output_tokens cut the turn) last, carrying the whole response. Every event has a rising sequence_number.
/// </summary>
public sealed class ResponsesAnswerTranslator : IChatAnswerTranslator
{
    private readonly ChatRequest _request;
    private readonly Func<string, string> _newId;
    private readonly string _id;
    private readonly long _createdAt;
    private readonly Action<string, JsonArray>? _store;
    private readonly LlamaChatState _state = new();
    private readonly List<JsonObject> _done = [];
    private readonly Dictionary<int, OpenCall> _calls = [];
    private OpenItem? _open;
    private int _sequence;

    /// <param name="newId">Makes an id from a prefix ("resp", "msg", "fc", "call").</param>
    /// <param name="store">Keeps a finished response's conversation (its id, the chat messages with the answer), unless the request said "store": false.</param>
    public ResponsesAnswerTranslator(ChatRequest request, Func<string, string> newId, DateTimeOffset createdAt, Action<string, JsonArray>? store = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(newId);
        _request = request;
        _newId = newId;
        _id = newId("resp");
        _createdAt = createdAt.ToUnixTimeSeconds();
        _store = Stored ? store : null;
    }

    public bool IsLast => _state.IsLast;
    public bool IsComplete => _state.FinishReason is not null;
    public string? ErrorMessage => _state.ErrorMessage;
    public int? ErrorStatus => _state.ErrorStatus;

    public IReadOnlyList<byte[]> Start() =>
    [
        Event("response.created", new JsonObject { ["response"] = Snapshot("in_progress") }),
        Event("response.in_progress", new JsonObject { ["response"] = Snapshot("in_progress") }),
    ];

    public IReadOnlyList<byte[]> Push(byte[] payload)
    {
        var update = _state.Read(payload);
        if (update is null) return [];
        var events = new List<byte[]>();
        if (!string.IsNullOrEmpty(update.Reasoning))
        {
            if (_open is not OpenReasoning reasoning)
            {
                CloseOpen(events);
                reasoning = new OpenReasoning(_newId("rs"), _done.Count);
                _open = reasoning;
                events.Add(Event("response.output_item.added", new JsonObject { ["output_index"] = reasoning.OutputIndex, ["item"] = reasoning.ToItem("in_progress", []) }));
            }
            reasoning.Text.Append(update.Reasoning);
            events.Add(Event("response.reasoning_text.delta", new JsonObject
            {
                ["item_id"] = reasoning.Id, ["output_index"] = reasoning.OutputIndex, ["content_index"] = 0, ["delta"] = update.Reasoning,
            }));
        }
        if (!string.IsNullOrEmpty(update.Content))
        {
            if (_open is not OpenMessage message)
            {
                CloseOpen(events);
                message = StartMessage(events);
            }
            message.Text.Append(update.Content);
            events.Add(Event("response.output_text.delta", new JsonObject
            {
                ["item_id"] = message.Id, ["output_index"] = message.OutputIndex, ["content_index"] = 0, ["delta"] = update.Content, ["logprobs"] = new JsonArray(),
            }));
        }
        foreach (var fragment in update.ToolCalls)
        {
            if (!_calls.TryGetValue(fragment.Index, out var call))
            {
                CloseOpen(events);
                call = new OpenCall(_newId("fc"), _done.Count, fragment.Id is { Length: > 0 } id ? id : _newId("call"), fragment.Name ?? "");
                _calls[fragment.Index] = call;
                _open = call;
                events.Add(Event("response.output_item.added", new JsonObject { ["output_index"] = call.OutputIndex, ["item"] = call.ToItem("in_progress") }));
            }
            if (string.IsNullOrEmpty(fragment.Arguments)) continue;
            call.Arguments.Append(fragment.Arguments);
            events.Add(Event("response.function_call_arguments.delta", new JsonObject
            {
                ["item_id"] = call.Id, ["output_index"] = call.OutputIndex, ["delta"] = fragment.Arguments,
            }));
        }
        return events;
    }

    public IReadOnlyList<byte[]> Finish()
    {
        var events = new List<byte[]>();
        // A turn with no message and no call (nothing, or only reasoning) still answers one (empty) message: clients look for its text.
        if (_open is not OpenMessage && !_done.Any(i => i["type"]!.GetValue<string>() is "message" or "function_call")) StartMessage(events, close: true);
        CloseOpen(events);
        var status = Status;
        Keep();
        events.Add(Event(status == "incomplete" ? "response.incomplete" : "response.completed", new JsonObject { ["response"] = Snapshot(status) }));
        return events;
    }

    public IReadOnlyList<byte[]> Fail(string message) =>
    [
        Event("response.failed", new JsonObject
        {
            ["response"] = Snapshot("failed", new JsonObject { ["code"] = "server_error", ["message"] = message }),
        }),
    ];

    public byte[] Aggregate()
    {
        if (_open is not OpenMessage && !_done.Any(i => i["type"]!.GetValue<string>() is "message" or "function_call")) StartMessage(null, close: true);
        CloseOpen(null);
        Keep();
        return SseFrame.Body(Snapshot(Status));
    }

    private bool Stored => !(_request.Original.ValueKind == JsonValueKind.Object
        && _request.Original.TryGetProperty("store", out var store) && store.ValueKind == JsonValueKind.False);

    /// <summary>Hands the conversation so far (without this request's instructions) and the answer to the store.</summary>
    private void Keep()
    {
        if (_store is null) return;
        var messages = _request.Body["messages"] is JsonArray sent ? sent.Select(m => m!.DeepClone()).ToList() : [];
        if (Echo(_request.Original, "instructions") is not null && messages.Count > 0) messages.RemoveAt(0);
        var answer = new JsonObject { ["role"] = "assistant", ["content"] = null };
        var text = string.Concat(_done.Where(i => i["type"]!.GetValue<string>() == "message").Select(i => i["content"]![0]!["text"]!.GetValue<string>()));
        var calls = _done.Where(i => i["type"]!.GetValue<string>() == "function_call").Select(i => (JsonNode)new JsonObject
        {
            ["id"] = i["call_id"]!.GetValue<string>(),
            ["type"] = "function",
            ["function"] = new JsonObject { ["name"] = i["name"]!.GetValue<string>(), ["arguments"] = i["arguments"]!.GetValue<string>() },
        }).ToArray();
        answer["content"] = text;
        if (calls.Length > 0) answer["tool_calls"] = new JsonArray(calls);
        messages.Add(answer);
        _store(_id, new JsonArray([.. messages]));
    }

    private string Status => _state.FinishReason == "length" ? "incomplete" : "completed";

    private OpenMessage StartMessage(List<byte[]>? events, bool close = false)
    {
        if (close) CloseOpen(events);
        var message = new OpenMessage(_newId("msg"), _done.Count);
        _open = message;
        if (events is null) return message;
        events.Add(Event("response.output_item.added", new JsonObject { ["output_index"] = message.OutputIndex, ["item"] = message.ToItem("in_progress", []) }));
        events.Add(Event("response.content_part.added", new JsonObject
        {
            ["item_id"] = message.Id, ["output_index"] = message.OutputIndex, ["content_index"] = 0, ["part"] = OutputText(""),
        }));
        return message;
    }

    /// <summary>Ends the open item: its done events when streaming (<paramref name="events"/> not null), and its final form in the output.</summary>
    private void CloseOpen(List<byte[]>? events)
    {
        switch (_open)
        {
            case OpenMessage message:
                var text = message.Text.ToString();
                events?.Add(Event("response.output_text.done", new JsonObject
                {
                    ["item_id"] = message.Id, ["output_index"] = message.OutputIndex, ["content_index"] = 0, ["text"] = text, ["logprobs"] = new JsonArray(),
                }));
                events?.Add(Event("response.content_part.done", new JsonObject
                {
                    ["item_id"] = message.Id, ["output_index"] = message.OutputIndex, ["content_index"] = 0, ["part"] = OutputText(text),
                }));
                // Only the item the token limit cut is incomplete; one closed earlier (a call followed) was whole.
                _done.Add(message.ToItem(_state.FinishReason == "length" ? "incomplete" : "completed", [OutputText(text)]));
                break;
            case OpenReasoning reasoning:
                var thought = reasoning.Text.ToString();
                events?.Add(Event("response.reasoning_text.done", new JsonObject
                {
                    ["item_id"] = reasoning.Id, ["output_index"] = reasoning.OutputIndex, ["content_index"] = 0, ["text"] = thought,
                }));
                _done.Add(reasoning.ToItem("completed", [new JsonObject { ["type"] = "reasoning_text", ["text"] = thought }]));
                break;
            case OpenCall call:
                events?.Add(Event("response.function_call_arguments.done", new JsonObject
                {
                    ["item_id"] = call.Id, ["output_index"] = call.OutputIndex, ["name"] = call.Name, ["arguments"] = call.Arguments.ToString(),
                }));
                _done.Add(call.ToItem("completed"));
                break;
            default:
                return;
        }
        events?.Add(Event("response.output_item.done", new JsonObject { ["output_index"] = _open.OutputIndex, ["item"] = _done[^1].DeepClone() }));
        _open = null;
    }

    private static JsonObject OutputText(string text) => new() { ["type"] = "output_text", ["text"] = text, ["annotations"] = new JsonArray(), ["logprobs"] = new JsonArray() };

    private byte[] Event(string type, JsonObject data)
    {
        var ordered = new JsonObject { ["type"] = type, ["sequence_number"] = _sequence++ };
        foreach (var (key, value) in data.ToList())
        {
            data.Remove(key);
            ordered[key] = value;
        }
        return SseFrame.Named(type, ordered);
    }

    /// <summary>The response object as it stands: in_progress snapshots have no output and no usage yet.</summary>
    private JsonObject Snapshot(string status, JsonObject? error = null)
    {
        var original = _request.Original;
        var finished = status is "completed" or "incomplete";
        return new JsonObject
        {
            ["id"] = _id,
            ["object"] = "response",
            ["created_at"] = _createdAt,
            ["status"] = status,
            ["error"] = error,
            ["incomplete_details"] = status == "incomplete" ? new JsonObject { ["reason"] = "max_output_tokens" } : null,
            ["instructions"] = Echo(original, "instructions"),
            ["max_output_tokens"] = Echo(original, "max_output_tokens"),
            ["model"] = _request.Model,
            ["output"] = finished ? new JsonArray([.. _done.Select(i => (JsonNode)i.DeepClone())]) : new JsonArray(),
            ["parallel_tool_calls"] = Echo(original, "parallel_tool_calls") ?? true,
            ["previous_response_id"] = Echo(original, "previous_response_id"),
            ["reasoning"] = new JsonObject { ["effort"] = null, ["summary"] = null },
            ["store"] = Stored,
            ["temperature"] = Echo(original, "temperature") ?? 1.0,
            ["text"] = Echo(original, "text") ?? new JsonObject { ["format"] = new JsonObject { ["type"] = "text" } },
            ["tool_choice"] = Echo(original, "tool_choice") ?? "auto",
            ["tools"] = Echo(original, "tools") ?? new JsonArray(),
            ["top_p"] = Echo(original, "top_p") ?? 1.0,
            ["truncation"] = "disabled",
            ["usage"] = finished ? Usage() : null,
            ["user"] = null,
            ["metadata"] = Echo(original, "metadata") ?? new JsonObject(),
        };
    }

    private JsonObject Usage() => new()
    {
        ["input_tokens"] = _state.PromptTokens,
        ["input_tokens_details"] = new JsonObject { ["cached_tokens"] = 0 },
        ["output_tokens"] = _state.CompletionTokens,
        ["output_tokens_details"] = new JsonObject { ["reasoning_tokens"] = 0 },
        ["total_tokens"] = _state.PromptTokens + _state.CompletionTokens,
    };

    private static JsonNode? Echo(JsonElement original, string name) =>
        original.ValueKind == JsonValueKind.Object && original.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? JsonNode.Parse(value.GetRawText())
            : null;

    private abstract class OpenItem(string id, int outputIndex)
    {
        public string Id { get; } = id;
        public int OutputIndex { get; } = outputIndex;
    }

    private sealed class OpenMessage(string id, int outputIndex) : OpenItem(id, outputIndex)
    {
        public StringBuilder Text { get; } = new();

        public JsonObject ToItem(string status, JsonNode[] content) => new()
        {
            ["id"] = Id, ["type"] = "message", ["status"] = status, ["role"] = "assistant", ["content"] = new JsonArray(content),
        };
    }

    private sealed class OpenReasoning(string id, int outputIndex) : OpenItem(id, outputIndex)
    {
        public StringBuilder Text { get; } = new();

        public JsonObject ToItem(string status, JsonNode[] content) => new()
        {
            ["id"] = Id, ["type"] = "reasoning", ["status"] = status, ["summary"] = new JsonArray(), ["content"] = new JsonArray(content),
        };
    }

    private sealed class OpenCall(string id, int outputIndex, string callId, string name) : OpenItem(id, outputIndex)
    {
        public string Name { get; } = name;
        public StringBuilder Arguments { get; } = new();

        public JsonObject ToItem(string status) => new()
        {
            ["id"] = Id, ["type"] = "function_call", ["status"] = status, ["arguments"] = status == "completed" ? Arguments.ToString() : "",
            ["call_id"] = callId, ["name"] = Name,
        };
    }
}
