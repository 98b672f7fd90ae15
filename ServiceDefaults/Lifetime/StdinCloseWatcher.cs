using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LlamaAspire.ServiceDefaults.Lifetime;

/// <summary>
/// Stops the application when standard input reaches end of file. Our AppHost gives each service a
/// stdin pipe; the OS closes it when the AppHost dies, however it dies, so this is how a service
/// notices it has been orphaned. The content read is ignored.
/// </summary>
internal sealed class StdinCloseWatcher(Func<Stream> openInput, IHostApplicationLifetime lifetime, ILogger<StdinCloseWatcher> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // A blocking read on a dedicated thread: console streams have no truly asynchronous read, and a
        // background thread never keeps the process alive.
        var thread = new Thread(WatchUntilClosed) { IsBackground = true, Name = "LlamaAspire stdin watch" };
        thread.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void WatchUntilClosed()
    {
        try
        {
            using var input = openInput();
            var buffer = new byte[512];
            while (input.Read(buffer) > 0)
            {
            }

            if (!lifetime.ApplicationStopping.IsCancellationRequested)
            {
                Log.StdinClosed(logger);
            }
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException or InvalidOperationException)
        {
            Log.StdinWatchFailed(logger, exception);
        }

        lifetime.StopApplication();
    }
}
