using System.Threading.Channels;

namespace LlamaAspire.RunnerAgent.Runners;

/// <summary>
/// Broadcasts a model's full <see cref="RunnerInfo"/> each time its state changes. Each subscriber has a small bounded
/// queue; one that falls behind loses the queued changes and is told to resync from a full listing instead, so a slow
/// reader never holds up the scheduler nor grows memory.
/// </summary>
public sealed class RunnerStatusFeed
{
    public const int SubscriberCapacity = 64;
    private readonly Lock _lock = new();
    private readonly List<RunnerStatusSubscription> _subscribers = [];

    public int SubscriberCount
    {
        get { lock (_lock) return _subscribers.Count; }
    }

    public void Publish(RunnerInfo runner)
    {
        lock (_lock)
        {
            foreach (var subscriber in _subscribers) subscriber.Offer(runner);
        }
    }

    /// <summary>Changes from now on, until the subscription is disposed.</summary>
    public RunnerStatusSubscription Subscribe(int capacity = SubscriberCapacity)
    {
        RunnerStatusSubscription? subscription = null;
        subscription = new RunnerStatusSubscription(capacity, () =>
        {
            lock (_lock) _subscribers.Remove(subscription!);
        });
        lock (_lock) _subscribers.Add(subscription);
        return subscription;
    }
}

public sealed class RunnerStatusSubscription : IDisposable
{
    private readonly Channel<RunnerInfo> _channel;
    private readonly Action _unsubscribe;
    private int _overflowed;

    internal RunnerStatusSubscription(int capacity, Action unsubscribe)
    {
        _channel = Channel.CreateBounded<RunnerInfo>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });
        _unsubscribe = unsubscribe;
    }

    public ChannelReader<RunnerInfo> Reader => _channel.Reader;

    /// <summary>True once after changes were dropped for want of room; what was still queued is discarded too, since a
    /// full listing read after this call supersedes it.</summary>
    public bool TakeOverflow()
    {
        if (Interlocked.Exchange(ref _overflowed, 0) == 0) return false;
        while (_channel.Reader.TryRead(out _)) { }
        return true;
    }

    public bool Overflowed => Volatile.Read(ref _overflowed) != 0;

    internal void Offer(RunnerInfo runner)
    {
        if (!_channel.Writer.TryWrite(runner)) Interlocked.Exchange(ref _overflowed, 1);
    }

    public void Dispose()
    {
        _unsubscribe();
        _channel.Writer.TryComplete();
    }
}
