using System.Buffers;

namespace LlamaAspire.Gateway.Forwarding;

/// <summary>
/// OpenAI opens every chat stream with a chunk whose delta names the assistant role; llama-server (3.22.1) leaves that
/// chunk out when the turn's first token is an incomplete UTF-8 sequence it holds back, so the stream starts with a
/// content delta and no role at all. Clients that assemble the stream refuse such a choice (openai-node's stream
/// helpers: "missing role for choice 0"). This adds <c>"role":"assistant"</c> to the first chat chunk's delta when it
/// has none, and passes every other byte through; one fix per stream.
/// </summary>
public sealed class AssistantRoleFix
{
    private static ReadOnlySpan<byte> DataField => "data:"u8;
    private static ReadOnlySpan<byte> ChatChunk => "\"object\":\"chat.completion.chunk\""u8;
    private static ReadOnlySpan<byte> Delta => "\"delta\":{"u8;
    private static ReadOnlySpan<byte> Role => "\"role\":"u8;

    /// <summary>The stream's first data event has passed: everything else goes through untouched.</summary>
    public bool IsDone { get; private set; }

    /// <summary>Writes whole server-sent events (each ending in its blank line), the first data event fixed if due.</summary>
    public void Apply(ReadOnlySpan<byte> events, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        while (!IsDone && !events.IsEmpty)
        {
            var end = events.IndexOf("\n\n"u8);
            var length = end < 0 ? events.Length : end + 2;
            ApplyToEvent(events[..length], output);
            events = events[length..];
        }
        output.Write(events);
    }

    /// <summary>Writes one event; only the stream's first data event can change.</summary>
    public void ApplyToEvent(ReadOnlySpan<byte> sseEvent, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (IsDone || !sseEvent.StartsWith(DataField))
        {
            output.Write(sseEvent);
            return;
        }
        IsDone = true;
        // Inside JSON strings a quote is escaped, so these byte patterns only match the chunk's own keys.
        var delta = sseEvent.IndexOf(ChatChunk) < 0 || sseEvent.IndexOf(Role) >= 0 ? -1 : sseEvent.IndexOf(Delta);
        if (delta < 0)
        {
            output.Write(sseEvent);
            return;
        }
        var inside = delta + Delta.Length;
        output.Write(sseEvent[..inside]);
        output.Write(sseEvent[inside..].StartsWith("}"u8) ? "\"role\":\"assistant\""u8 : "\"role\":\"assistant\","u8);
        output.Write(sseEvent[inside..]);
    }
}
