using System.Threading.Channels;

namespace LlamaAspire.RunnerAgent.Runners;

/// <summary>
/// Broadcasts state changes to every subscriber. A slow subscriber loses its oldest events rather than holding up a runner.
/// </summary>
public sealed class RunnerEvents
{
    private const int SubscriberCapacity = 256;
    private readonly Lock _lock = new();
    private readonly List<Channel<RunnerStateChanged>> _subscribers = [];

    public int SubscriberCount
    {
        get { lock (_lock) return _subscribers.Count; }
    }

    public void Publish(RunnerStateChanged change)
    {
        lock (_lock)
        {
            foreach (var subscriber in _subscribers) subscriber.Writer.TryWrite(change);
        }
    }

    /// <summary>Events from now on, until the subscription is disposed.</summary>
    public RunnerEventSubscription Subscribe()
    {
        var channel = Channel.CreateBounded<RunnerStateChanged>(
            new BoundedChannelOptions(SubscriberCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (_lock) _subscribers.Add(channel);
        return new RunnerEventSubscription(channel.Reader, () =>
        {
            lock (_lock) _subscribers.Remove(channel);
            channel.Writer.TryComplete();
        });
    }
}

public sealed class RunnerEventSubscription(ChannelReader<RunnerStateChanged> reader, Action unsubscribe) : IDisposable
{
    public ChannelReader<RunnerStateChanged> Reader { get; } = reader;

    public void Dispose() => unsubscribe();
}
