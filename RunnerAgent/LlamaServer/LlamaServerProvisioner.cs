namespace LlamaAspire.RunnerAgent.LlamaServer;

/// <summary>
/// When no llama-server is found at start-up, starts building one straight away, so that the first request
/// does not wait minutes for it. A configured path that does not exist stops the service at start instead.
/// </summary>
public sealed class LlamaServerProvisioner(LlamaServerLocator locator, ILogger<LlamaServerProvisioner> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (locator.Find() is not null) return;
        try
        {
            await locator.GetPathAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; the locator stops the build when it is disposed.
        }
        catch (InvalidOperationException e)
        {
            Log.ProvisioningFailed(logger, e.Message);   // the first request will try again and report it
        }
    }
}
