using LlamaAspire.Gateway.Upstream;

namespace LlamaAspire.Gateway.Forwarding;

/// <summary>
/// Keeps a lease while a response is relayed: renews it well before its renew-by time, and releases it on dispose,
/// in the background, so the client's response is never delayed by the accounting.
/// </summary>
public sealed class HeldLease : IAsyncDisposable
{
    private readonly RunnerAgentClient _agent;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _renewals;

    public HeldLease(RunnerAgentClient agent, Lease lease, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(time);
        _agent = agent;
        Lease = lease;
        var interval = (lease.RenewBy - time.GetUtcNow()) / 3;
        _renewals = RenewAsync(interval > TimeSpan.FromMilliseconds(100) ? interval : TimeSpan.FromMilliseconds(100), time, _stop.Token);
    }

    public Lease Lease { get; }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _renewals.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
        _ = _agent.ReleaseAsync(Lease.LeaseId);
    }

    private async Task RenewAsync(TimeSpan interval, TimeProvider time, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(interval, time);
        while (await timer.WaitForNextTickAsync(ct))
        {
            if (!await _agent.RenewAsync(Lease.LeaseId, ct)) return;   // gone; the stream itself goes on
        }
    }
}
