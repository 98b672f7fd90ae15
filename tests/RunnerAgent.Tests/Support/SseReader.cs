namespace LlamaAspire.RunnerAgent.Tests.Support;

/// <summary>One server-sent event: its name and its single data line.</summary>
internal sealed record SseEvent(string? Name, string Data);

/// <summary>Reads text/event-stream frames from a response body, one event per blank-line-terminated frame.</summary>
internal sealed class SseReader(Stream body) : IDisposable
{
    private readonly StreamReader _reader = new(body);

    /// <summary>The next event, or null at the end of the stream.</summary>
    public async Task<SseEvent?> NextAsync(CancellationToken ct)
    {
        string? name = null;
        var data = new List<string>();
        while (await _reader.ReadLineAsync(ct) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Count > 0) return new SseEvent(name, string.Join('\n', data));
                continue;
            }
            if (line.StartsWith("event: ", StringComparison.Ordinal)) name = line["event: ".Length..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal)) data.Add(line["data: ".Length..]);
        }
        return null;
    }

    public void Dispose() => _reader.Dispose();
}
