using System.Threading.Channels;

namespace LlamaAspire.RunnerAgent.Runners;

/// <summary>One line a runner's process printed, and when.</summary>
public sealed record RunnerLogLine(DateTimeOffset At, string Text)
{
    public override string ToString() => $"{At.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ} {Text}";
}

/// <summary>
/// The last lines of one model's processes, across its restarts, bounded. Followers get the buffered lines and then
/// live ones with no gap or repeat; a slow follower loses its oldest live lines rather than holding up the process.
/// </summary>
public sealed class RunnerLog(TimeProvider time, int capacity = RunnerLog.DefaultCapacity)
{
    public const int DefaultCapacity = 2000;
    private const int FollowerCapacity = 1024;
    private readonly Lock _lock = new();
    private readonly Queue<RunnerLogLine> _lines = new();
    private readonly List<Channel<RunnerLogLine>> _followers = [];

    public void Add(string text)
    {
        var line = new RunnerLogLine(time.GetUtcNow(), text);
        lock (_lock)
        {
            if (_lines.Count == capacity) _lines.Dequeue();
            _lines.Enqueue(line);
            foreach (var follower in _followers) follower.Writer.TryWrite(line);
        }
    }

    public IReadOnlyList<RunnerLogLine> Lines
    {
        get { lock (_lock) return [.. _lines]; }
    }

    public int FollowerCount
    {
        get { lock (_lock) return _followers.Count; }
    }

    /// <summary>The buffered lines, and the lines after them until disposed.</summary>
    public RunnerLogFollower Follow()
    {
        var channel = Channel.CreateBounded<RunnerLogLine>(
            new BoundedChannelOptions(FollowerCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        IReadOnlyList<RunnerLogLine> buffered;
        lock (_lock)
        {
            buffered = [.. _lines];
            _followers.Add(channel);
        }
        return new RunnerLogFollower(buffered, channel.Reader, () =>
        {
            lock (_lock) _followers.Remove(channel);
            channel.Writer.TryComplete();
        });
    }
}

public sealed class RunnerLogFollower(IReadOnlyList<RunnerLogLine> buffered, ChannelReader<RunnerLogLine> live, Action unfollow) : IDisposable
{
    public IReadOnlyList<RunnerLogLine> Buffered { get; } = buffered;

    public ChannelReader<RunnerLogLine> Live { get; } = live;

    public void Dispose() => unfollow();
}
