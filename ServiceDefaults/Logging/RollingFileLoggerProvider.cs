using Microsoft.Extensions.Logging;

namespace LlamaAspire.ServiceDefaults.Logging;

/// <summary>
/// Logger provider for the rolling file. The "File" alias gives it its own filter section
/// (<c>Logging:File:LogLevel</c>), so console-only settings leave the file alone.
/// </summary>
[ProviderAlias("File")]
internal sealed class RollingFileLoggerProvider(RollingFileWriter writer, TimeProvider timeProvider) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new FileLogger(categoryName, writer, timeProvider);

    public void Dispose() => writer.Dispose();
}
