using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace LlamaAspire.AppHost.Hosting;

/// <summary>Current state of every resource, and waits on it, shaped like Aspire's ResourceNotificationService.</summary>
public sealed class ResourceNotificationService
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ResourceEvent> _current = new(StringComparer.Ordinal);
    private readonly List<Channel<ResourceEvent>> _watchers = [];

    public void Publish(ResourceEvent update)
    {
        lock (_lock)
        {
            _current[update.ResourceName] = update;
            foreach (var watcher in _watchers) watcher.Writer.TryWrite(update);
        }
    }

    public bool TryGetCurrentState(string resourceName, out ResourceEvent? state)
    {
        lock (_lock) return _current.TryGetValue(resourceName, out state);
    }

    public async Task<ResourceEvent> WaitForResourceAsync(string resourceName, Func<ResourceEvent, bool> predicate, CancellationToken ct = default)
    {
        await foreach (var update in WatchAsync(ct))
        {
            if (update.ResourceName == resourceName && predicate(update)) return update;
        }
        throw new OperationCanceledException(ct);
    }

    public Task<ResourceEvent> WaitForResourceAsync(string resourceName, string targetState = KnownResourceStates.Running, CancellationToken ct = default) =>
        WaitForResourceAsync(resourceName, e => e.State == targetState, ct);

    /// <summary>Waits for Running and healthy; throws if the resource ends first.</summary>
    public async Task WaitForResourceHealthyAsync(string resourceName, CancellationToken ct = default)
    {
        var update = await WaitForResourceAsync(resourceName, e => e.IsHealthy || KnownResourceStates.IsTerminal(e.State), ct);
        if (!update.IsHealthy)
            throw new DistributedApplicationException($"Resource '{resourceName}' ended ({update.State}) before it became healthy: {update.Reason}");
    }

    /// <summary>Every resource's current state first, then each change.</summary>
    public async IAsyncEnumerable<ResourceEvent> WatchAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        var channel = Channel.CreateUnbounded<ResourceEvent>(new UnboundedChannelOptions { SingleReader = true });
        lock (_lock)
        {
            foreach (var state in _current.Values) channel.Writer.TryWrite(state);
            _watchers.Add(channel);
        }
        try
        {
            await foreach (var update in channel.Reader.ReadAllAsync(ct)) yield return update;
        }
        finally
        {
            lock (_lock) _watchers.Remove(channel);
        }
    }
}

public sealed class DistributedApplicationException(string message) : Exception(message);
