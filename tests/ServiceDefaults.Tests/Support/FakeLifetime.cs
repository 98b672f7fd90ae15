using Microsoft.Extensions.Hosting;

namespace LlamaAspire.ServiceDefaults.Tests.Support;

internal sealed class FakeLifetime : IHostApplicationLifetime, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _stopRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public CancellationToken ApplicationStarted => CancellationToken.None;

    public CancellationToken ApplicationStopping => _stopping.Token;

    public CancellationToken ApplicationStopped => CancellationToken.None;

    public Task StopRequested => _stopRequested.Task;

    // Cancel before signalling: a test that awaits StopRequested disposes this lifetime at once, and a Cancel() after
    // that would throw on the caller's thread (the stdin watcher's, crashing the test run).
    public void StopApplication()
    {
        _stopping.Cancel();
        _stopRequested.TrySetResult();
    }

    public void Dispose() => _stopping.Dispose();
}
