using System.Text.Json;
using System.Text.Json.Nodes;

namespace LlamaAspire.Gateway.Responses;

/// <summary>
/// The conversations behind stored responses, so a request can continue one by previous_response_id: each as the
/// chat messages up to and including the response's answer. In memory only and bounded: past
/// <see cref="MaxEntries"/> responses or <see cref="MaxBytes"/> bytes of JSON the least recently used go first.
/// </summary>
public sealed class ResponsesStore
{
    public const int MaxEntries = 512;
    public const long MaxBytes = 64L * 1024 * 1024;

    private readonly int _maxEntries;
    private readonly long _maxBytes;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, LinkedListNode<(string Id, byte[] Messages)>> _byId = [];
    private readonly LinkedList<(string Id, byte[] Messages)> _recent = new();
    private long _bytes;

    public ResponsesStore() : this(MaxEntries, MaxBytes)
    {
    }

    public ResponsesStore(int maxEntries, long maxBytes)
    {
        _maxEntries = maxEntries;
        _maxBytes = maxBytes;
    }

    public int Count
    {
        get
        {
            lock (_lock) return _byId.Count;
        }
    }

    public void Save(string responseId, JsonArray messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(messages);
        if (bytes.Length > _maxBytes) return;   // one conversation larger than the whole store is not kept
        lock (_lock)
        {
            Remove(responseId);
            _byId[responseId] = _recent.AddFirst((responseId, bytes));
            _bytes += bytes.Length;
            while (_byId.Count > _maxEntries || _bytes > _maxBytes) Remove(_recent.Last!.Value.Id);
        }
    }

    /// <summary>A fresh copy of the conversation, or null when it was never stored or has been dropped.</summary>
    public JsonArray? Find(string responseId)
    {
        byte[] bytes;
        lock (_lock)
        {
            if (!_byId.TryGetValue(responseId, out var node)) return null;
            _recent.Remove(node);
            _recent.AddFirst(node);
            bytes = node.Value.Messages;
        }
        return JsonNode.Parse(bytes)!.AsArray();
    }

    private void Remove(string responseId)
    {
        if (!_byId.Remove(responseId, out var node)) return;
        _recent.Remove(node);
        _bytes -= node.Value.Messages.Length;
    }
}
