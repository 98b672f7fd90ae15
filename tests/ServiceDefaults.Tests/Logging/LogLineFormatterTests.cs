using LlamaAspire.ServiceDefaults.Logging;
using Microsoft.Extensions.Logging;

namespace LlamaAspire.ServiceDefaults.Tests.Logging;

public sealed class LogLineFormatterTests
{
    private static readonly DateTimeOffset LocalTime = new(2025, 1, 31, 14, 5, 6, 789, TimeSpan.FromHours(2));

    [Fact]
    public void Format_PlainMessage_StartsWithUtcIsoTimestampLevelAndCategory()
    {
        var line = LogLineFormatter.Format(LocalTime, LogLevel.Information, "LlamaAspire.Gateway.Router", new EventId(1001), "routed", null);

        Assert.Equal("2025-01-31T12:05:06.789Z info LlamaAspire.Gateway.Router[1001] routed", line);
    }

    [Fact]
    public void Format_MultilineMessageAndException_StaysOnOneLine()
    {
        var exception = new InvalidOperationException("boom\nsecond line");

        var line = LogLineFormatter.Format(LocalTime, LogLevel.Error, "Cat", new EventId(7), "first\r\nsecond", exception);

        Assert.DoesNotContain('\n', line);
        Assert.DoesNotContain('\r', line);
        Assert.Contains(" fail Cat[7] first\\nsecond | System.InvalidOperationException: boom\\nsecond line", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(LogLevel.Trace, "trce")]
    [InlineData(LogLevel.Debug, "dbug")]
    [InlineData(LogLevel.Information, "info")]
    [InlineData(LogLevel.Warning, "warn")]
    [InlineData(LogLevel.Error, "fail")]
    [InlineData(LogLevel.Critical, "crit")]
    public void LevelLabel_EachLevel_MatchesConsoleLabels(LogLevel level, string expected) =>
        Assert.Equal(expected, LogLineFormatter.LevelLabel(level));
}
