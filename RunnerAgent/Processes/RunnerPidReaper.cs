namespace LlamaAspire.RunnerAgent.Processes;

/// <summary>
/// At agent start, before any model loads, stops the llama-servers an earlier agent left running (see <see cref="RunnerPidFile"/>).
/// Register it before the scheduler: hosted services start in registration order.
/// </summary>
public sealed class RunnerPidReaper(RunnerPidFile pidFile, ILogger<RunnerPidReaper> logger) : IHostedService
{
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var stopped = await pidFile.ReapAsync(Grace).WaitAsync(cancellationToken);
        if (stopped > 0) RunnerPidFileLog.Reaped(logger, stopped, pidFile.Path);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
