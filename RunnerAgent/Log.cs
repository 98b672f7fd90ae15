namespace LlamaAspire.RunnerAgent;

internal static partial class Log
{
    [LoggerMessage(2000, LogLevel.Information, "No llama-server found; building one into {CacheDirectory} (a few minutes, once)")]
    public static partial void BuildingLlamaServer(ILogger logger, string cacheDirectory);

    [LoggerMessage(2001, LogLevel.Information, "llama-server build: {Line}")]
    public static partial void BuildProgress(ILogger logger, string line);

    [LoggerMessage(2002, LogLevel.Information, "Built llama-server: {Path}")]
    public static partial void BuiltLlamaServer(ILogger logger, string path);

    [LoggerMessage(2008, LogLevel.Error, "Could not provide llama-server: {Reason}")]
    public static partial void ProvisioningFailed(ILogger logger, string reason);

    [LoggerMessage(2003, LogLevel.Debug, "[{ModelId}] {Line}")]
    public static partial void LlamaServerOutput(ILogger logger, string modelId, string line);

    [LoggerMessage(2004, LogLevel.Information, "Starting llama-server for {ModelId} on port {Port} (pid {Pid})")]
    public static partial void RunnerStarting(ILogger logger, string modelId, int port, int pid);

    [LoggerMessage(2005, LogLevel.Information, "{ModelId} is ready on port {Port} after {ElapsedMs} ms")]
    public static partial void RunnerReady(ILogger logger, string modelId, int port, long elapsedMs);

    [LoggerMessage(2006, LogLevel.Information, "Stopping {ModelId} (pid {Pid})")]
    public static partial void RunnerStopping(ILogger logger, string modelId, int pid);

    [LoggerMessage(2007, LogLevel.Warning, "{ModelId} exited unexpectedly with code {ExitCode}")]
    public static partial void RunnerExitedUnexpectedly(ILogger logger, string modelId, int exitCode);

    [LoggerMessage(2009, LogLevel.Information, "{ModelId}: {From} -> {To} {Reason}")]
    public static partial void RunnerStateChanged(ILogger logger, string modelId, Runners.RunnerState from, Runners.RunnerState to, string? reason);

    [LoggerMessage(2010, LogLevel.Error, "The scheduler failed to handle {Message}")]
    public static partial void SchedulerMessageFailed(ILogger logger, string message, Exception exception);

    [LoggerMessage(2011, LogLevel.Warning, "{ModelId} exited while ready; its next request starts it again")]
    public static partial void RunnerCrashed(ILogger logger, string modelId);

    [LoggerMessage(2012, LogLevel.Information, "Unloading {ModelId}: {Reason}")]
    public static partial void Unloading(ILogger logger, string modelId, string reason);

    [LoggerMessage(2013, LogLevel.Warning, "Took back lease {LeaseId} on {ModelId}: not renewed or released within {TimeoutSeconds} s")]
    public static partial void LeaseReclaimed(ILogger logger, Guid leaseId, string modelId, double timeoutSeconds);
}
