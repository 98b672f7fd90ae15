using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace LlamaAspire.AppHost.Hosting;

public sealed record LogLine(int LineNumber, string Content, bool IsErrorMessage, DateTimeOffset Timestamp);

/// <summary>Console output of every resource, kept in a bounded buffer per resource, like Aspire's ResourceLoggerService.</summary>
public sealed class ResourceLoggerService(TimeProvider timeProvider, int maxLinesPerResource = 10_000)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Queue<LogLine>> _lines = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _lineCounts = new(StringComparer.Ordinal);
    private readonly List<(string Resource, Channel<LogLine> Channel)> _watchers = [];

    public void Add(string resourceName, string content, bool isError)
    {
        lock (_lock)
        {
            var number = _lineCounts[resourceName] = _lineCounts.GetValueOrDefault(resourceName) + 1;
            var line = new LogLine(number, content, isError, timeProvider.GetUtcNow());
            if (!_lines.TryGetValue(resourceName, out var buffer)) _lines[resourceName] = buffer = new Queue<LogLine>();
            if (buffer.Count == maxLinesPerResource) buffer.Dequeue();
            buffer.Enqueue(line);
            foreach (var (resource, channel) in _watchers)
            {
                if (resource == resourceName) channel.Writer.TryWrite(line);
            }
        }
    }

    public IReadOnlyList<LogLine> GetLines(string resourceName)
    {
        lock (_lock) return _lines.TryGetValue(resourceName, out var buffer) ? [.. buffer] : [];
    }

    /// <summary>The buffered lines, then each new one.</summary>
    public async IAsyncEnumerable<LogLine> WatchAsync(string resourceName, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var channel = Channel.CreateUnbounded<LogLine>(new UnboundedChannelOptions { SingleReader = true });
        lock (_lock)
        {
            if (_lines.TryGetValue(resourceName, out var buffer))
            {
                foreach (var line in buffer) channel.Writer.TryWrite(line);
            }
            _watchers.Add((resourceName, channel));
        }
        try
        {
            await foreach (var line in channel.Reader.ReadAllAsync(ct)) yield return line;
        }
        finally
        {
            lock (_lock) _watchers.Remove((resourceName, channel));
        }
    }
}
