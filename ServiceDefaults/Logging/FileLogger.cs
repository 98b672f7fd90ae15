using Microsoft.Extensions.Logging;

namespace LlamaAspire.ServiceDefaults.Logging;

/// <summary>Formats on the caller's thread and hands the line to the writer; no I/O here.</summary>
internal sealed class FileLogger(string category, RollingFileWriter writer, TimeProvider timeProvider) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    // Levels are filtered by the logging infrastructure (Logging:LogLevel, Logging:File:LogLevel).
    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (!IsEnabled(logLevel))
        {
            return;
        }

        var message = formatter(state, exception);
        writer.Enqueue(LogLineFormatter.Format(timeProvider.GetUtcNow(), logLevel, category, eventId, message, exception));
    }
}
