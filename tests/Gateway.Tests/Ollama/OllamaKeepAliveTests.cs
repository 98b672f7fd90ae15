using System.Text.Json;
using LlamaAspire.Gateway.Ollama;

namespace LlamaAspire.Gateway.Tests.Ollama;

public sealed class OllamaKeepAliveTests
{
    [Theory]
    [InlineData("\"5m\"", 300.0)]
    [InlineData("\"1h30m\"", 5400.0)]
    [InlineData("\"1.5s\"", 1.5)]
    [InlineData("\"250ms\"", 0.25)]
    [InlineData("\"0\"", 0.0)]
    [InlineData("\"0s\"", 0.0)]
    [InlineData("\"300\"", 300.0)]
    [InlineData("1800", 1800.0)]
    [InlineData("0", 0.0)]
    [InlineData("2.5", 2.5)]
    public void TryParse_DurationOrSeconds_GivesTimeSpan(string json, double seconds)
    {
        Assert.True(OllamaKeepAlive.TryParse(JsonDocument.Parse(json).RootElement, out var keepAlive, out var error), error);
        Assert.Equal(TimeSpan.FromSeconds(seconds), keepAlive);
    }

    [Theory]
    [InlineData("\"-1m\"")]
    [InlineData("-1")]
    public void TryParse_Negative_KeepsForever(string json)
    {
        Assert.True(OllamaKeepAlive.TryParse(JsonDocument.Parse(json).RootElement, out var keepAlive, out _));
        Assert.Equal(TimeSpan.MaxValue, keepAlive);
    }

    [Fact]
    public void TryParse_Absent_IsNull()
    {
        Assert.True(OllamaKeepAlive.TryParse(null, out var keepAlive, out _));
        Assert.Null(keepAlive);
        Assert.False(OllamaKeepAlive.IsUnload(keepAlive));
    }

    [Theory]
    [InlineData("\"5x\"")]
    [InlineData("\"m\"")]
    [InlineData("\"1h 2m\"")]
    public void TryParse_BadString_Refused(string json)
    {
        Assert.False(OllamaKeepAlive.TryParse(JsonDocument.Parse(json).RootElement, out _, out var error));
        Assert.StartsWith("time: invalid duration", error, StringComparison.Ordinal);
    }
}
