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

    /// <summary>
    /// Server-sent events as they should go out (whole events, or a single one without its blank line): the same bytes,
    /// not copied, unless they hold the stream's first data event and it is a chat chunk without a role.
    /// </summary>
    public ReadOnlySpan<byte> Apply(ReadOnlySpan<byte> events)
    {
        for (var offset = 0; !IsDone && offset < events.Length;)
        {
            var rest = events[offset..];
            var end = rest.IndexOf("\n\n"u8);
            var sseEvent = end < 0 ? rest : rest[..(end + 2)];
            if (sseEvent.StartsWith(DataField))
            {
                IsDone = true;
                if (Inside(sseEvent) is { } inside)
                {
                    var at = offset + inside;
                    var role = events[at..].StartsWith("}"u8) ? "\"role\":\"assistant\""u8 : "\"role\":\"assistant\","u8;
                    byte[] fixedUp = [.. events[..at], .. role, .. events[at..]];
                    return fixedUp;
                }
            }
            offset += sseEvent.Length;
        }
        return events;
    }

    /// <summary>Where the role goes in a data event: just inside its delta, if it is a chat chunk that names no role.</summary>
    private static int? Inside(ReadOnlySpan<byte> sseEvent)
    {
        // Inside JSON strings a quote is escaped, so these byte patterns only match the chunk's own keys.
        if (sseEvent.IndexOf(ChatChunk) < 0 || sseEvent.IndexOf(Role) >= 0) return null;
        var delta = sseEvent.IndexOf(Delta);
        return delta < 0 ? null : delta + Delta.Length;
    }
}
