using Microsoft.Extensions.Logging;

namespace LlamaAspire.ServiceDefaults;

/// <summary>ServiceDefaults log messages; EventIds 9000-9099.</summary>
internal static partial class Log
{
    [LoggerMessage(9000, LogLevel.Warning, "Standard input was closed by the parent process; stopping the application.")]
    public static partial void StdinClosed(ILogger logger);

    [LoggerMessage(9001, LogLevel.Warning, "Reading standard input failed, so the parent process is assumed gone; stopping the application.")]
    public static partial void StdinWatchFailed(ILogger logger, Exception exception);

    [LoggerMessage(9010, LogLevel.Warning, "Retrying {Method} {Uri} on client '{ClientName}' in {DelayMs} ms (retry {RetryNumber}) after {Reason}.")]
    public static partial void RetryingRequest(ILogger logger, string method, string uri, string clientName, double delayMs, int retryNumber, string reason);
}
