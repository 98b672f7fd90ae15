using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace LlamaAspire.Gateway.Ollama;

/// <summary>
/// Collects streamed tool-call fragments by index until the turn ends, then hands out whole Ollama tool calls with
/// arguments parsed into an object (Ollama never streams partial calls).
/// </summary>
internal sealed class ToolCallAccumulator
{
    private readonly SortedDictionary<int, (string? Id, StringBuilder Name, StringBuilder Arguments)> _calls = [];

    public bool IsEmpty => _calls.Count == 0;

    public void Add(ToolCallFragment fragment)
    {
        if (!_calls.TryGetValue(fragment.Index, out var call))
        {
            call = (null, new StringBuilder(), new StringBuilder());
        }
        if (fragment.Id is { Length: > 0 } id && call.Id is null) call.Id = id;
        call.Name.Append(fragment.Name);
        call.Arguments.Append(fragment.Arguments);
        _calls[fragment.Index] = call;
    }

    public List<OllamaToolCall> Drain()
    {
        var whole = _calls.Select((pair, position) => new OllamaToolCall
        {
            Id = pair.Value.Id ?? NewId(),
            Function = new OllamaToolCallFunction
            {
                Index = position,
                Name = pair.Value.Name.ToString(),
                Arguments = ParseArguments(pair.Value.Arguments.ToString()),
            },
        }).ToList();
        _calls.Clear();
        return whole;
    }

    // A model can produce arguments that are not JSON; rather than fail the turn, pass the text on as a string.
    private static JsonElement ParseArguments(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) text = "{}";
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(text);
        }
    }

    // Ollama's form: call_ and 8 of [a-z0-9].
    private static string NewId() => "call_" + RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", 8);
}
