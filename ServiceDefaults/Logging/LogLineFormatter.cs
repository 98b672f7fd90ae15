using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace LlamaAspire.ServiceDefaults.Logging;

/// <summary>
/// One entry per line: <c>2025-01-31T12:00:00.000Z info Category[12] message | exception</c>.
/// Line breaks inside the message or exception are written as <c>\n</c>, so grep and tail see whole entries.
/// </summary>
internal static class LogLineFormatter
{
    public static string Format(DateTimeOffset timestamp, LogLevel level, string category, EventId eventId, string message, Exception? exception)
    {
        var line = new StringBuilder(96 + message.Length);
        line.Append(timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture))
            .Append(' ').Append(LevelLabel(level))
            .Append(' ').Append(category)
            .Append('[').Append(eventId.Id.ToString(CultureInfo.InvariantCulture)).Append("] ");
        AppendEscaped(line, message);

        if (exception is not null)
        {
            line.Append(" | ");
            AppendEscaped(line, exception.ToString());
        }

        return line.ToString();
    }

    public static string LevelLabel(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "none",
    };

    private static void AppendEscaped(StringBuilder line, string text)
    {
        foreach (var c in text)
        {
            switch (c)
            {
                case '\r':
                    break;
                case '\n':
                    line.Append("\\n");
                    break;
                default:
                    line.Append(c);
                    break;
            }
        }
    }
}
