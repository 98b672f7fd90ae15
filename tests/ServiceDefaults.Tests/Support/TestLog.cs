using Microsoft.Extensions.Logging;

namespace LlamaAspire.ServiceDefaults.Tests.Support;

internal static partial class TestLog
{
    [LoggerMessage(1, LogLevel.Information, "{Text}")]
    public static partial void Info(ILogger logger, string text);

    [LoggerMessage(2, LogLevel.Warning, "{Text}")]
    public static partial void Warning(ILogger logger, string text);
}
