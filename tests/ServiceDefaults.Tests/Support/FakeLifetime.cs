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

    public void StopApplication()
    {
        _stopRequested.TrySetResult();
        _stopping.Cancel();
    }

    public void Dispose() => _stopping.Dispose();
}
