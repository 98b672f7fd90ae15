using System.Runtime.CompilerServices;

namespace LlamaAspire.Gateway.Forwarding;

/// <summary>Reads llama-server's SSE stream for the relays that translate it into another dialect.</summary>
public static class LlamaServerEvents
{
    private const int InitialBuffer = 16 * 1024;

    /// <summary>A line longer than this (no newline in sight) ends the stream with an error rather than growing without bound.</summary>
    public const int MaxLineBytes = 64 << 20;

    /// <summary>
    /// The data payloads of llama-server's SSE stream, each as soon as its line arrives; ":" pings and other fields
    /// dropped. Lines are split on the bytes as they come (no text decoding): the payload is UTF-8 JSON, copied once
    /// into the array the caller receives and owns.
    /// </summary>
    public static async IAsyncEnumerable<byte[]> ReadAsync(HttpResponseMessage response, [EnumeratorCancellation] CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(response);
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        var buffer = new byte[InitialBuffer];
        var (start, end) = (0, 0);
        while (true)
        {
            int newline;
            while ((newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n')) >= 0)
            {
                var payload = Payload(buffer.AsSpan(start, newline));
                start += newline + 1;
                if (payload is not null) yield return payload;
            }

            if (start > 0)
            {
                buffer.AsSpan(start, end - start).CopyTo(buffer);
                (start, end) = (0, end - start);
            }

            if (end == buffer.Length)
            {
                if (buffer.Length >= MaxLineBytes) throw new IOException($"llama-server sent a line longer than {MaxLineBytes} bytes.");
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            var read = await stream.ReadAsync(buffer.AsMemory(end), ct);
            if (read == 0)
            {
                if (Payload(buffer.AsSpan(0, end)) is { } last) yield return last;
                yield break;
            }

            end += read;
        }
    }

    /// <summary>The payload of a "data:" line (without the CR of a CRLF ending), or null for any other line.</summary>
    private static byte[]? Payload(ReadOnlySpan<byte> line)
    {
        if (line.EndsWith((byte)'\r')) line = line[..^1];
        return line.StartsWith("data:"u8) ? line[5..].TrimStart((byte)' ').ToArray() : null;
    }
}
