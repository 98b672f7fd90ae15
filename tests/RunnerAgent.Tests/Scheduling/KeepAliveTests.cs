using System.Text.Json;
using LlamaAspire.RunnerAgent.Scheduling;

namespace LlamaAspire.RunnerAgent.Tests.Scheduling;

public sealed class KeepAliveTests
{
    [Theory]
    [InlineData("5m", 300)]
    [InlineData("1h30m", 5400)]
    [InlineData("250ms", 0.25)]
    [InlineData("10s", 10)]
    [InlineData("1.5h", 5400)]
    [InlineData("300", 300)]
    [InlineData("0", 0)]
    [InlineData("0s", 0)]
    [InlineData(" 2m ", 120)]
    public void TryParse_Duration_GivesSeconds(string text, double seconds)
    {
        Assert.True(KeepAlive.TryParse(text, out var keepAlive, out _));
        Assert.Equal(TimeSpan.FromSeconds(seconds), keepAlive);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("-1m")]
    [InlineData("-0.5")]
    public void TryParse_Negative_MeansForever(string text)
    {
        Assert.True(KeepAlive.TryParse(text, out var keepAlive, out _));
        Assert.Equal(Timeout.InfiniteTimeSpan, keepAlive);
    }

    [Theory]
    [InlineData("")]
    [InlineData("5 minutes")]
    [InlineData("m5")]
    [InlineData("5d")]
    [InlineData("5m!")]
    public void TryParse_Garbage_FailsNamingTheValue(string text)
    {
        Assert.False(KeepAlive.TryParse(text, out _, out var error));
        Assert.Contains("keep_alive", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("300", 300)]
    [InlineData("\"5m\"", 300)]
    [InlineData("0", 0)]
    [InlineData("12.5", 12.5)]
    public void TryParse_Json_NumberOrString(string json, double seconds)
    {
        using var document = JsonDocument.Parse(json);

        Assert.True(KeepAlive.TryParse(document.RootElement, out var keepAlive, out _));
        Assert.Equal(TimeSpan.FromSeconds(seconds), keepAlive);
    }

    [Fact]
    public void TryParse_JsonOfAnotherKind_Fails()
    {
        using var document = JsonDocument.Parse("true");

        Assert.False(KeepAlive.TryParse(document.RootElement, out _, out var error));
        Assert.Contains("true", error, StringComparison.Ordinal);
    }
}
