using System.Globalization;
using LlamaAspire.Gateway.Ollama;

namespace LlamaAspire.Gateway.Tests.Ollama;

public sealed class OllamaTimeAndDigestTests
{
    [Theory]
    [InlineData("2025-07-07T20:22:19.1847890+00:00", "2025-07-07T20:22:19.184789Z")]
    [InlineData("2025-05-10T08:06:48.6397126-07:00", "2025-05-10T08:06:48.6397126-07:00")]
    [InlineData("2026-01-01T00:00:00+02:00", "2026-01-01T00:00:00+02:00")]
    public void Format_Timestamp_IsGoRfc3339Nano(string value, string expected) =>
        Assert.Equal(expected, OllamaTime.Format(DateTimeOffset.Parse(value, CultureInfo.InvariantCulture)));

    [Fact]
    public void Forever_FromNow_IsCenturiesAhead() =>
        Assert.Equal(2318, (new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero) + OllamaTime.Forever).Year);

    [Fact]
    public void For_CatalogSha256_IsBareLowercaseHex()
    {
        var hex = new string('A', 64);

        Assert.Equal(new string('a', 64), OllamaDigest.For($"sha256:{hex}", "/m.gguf", 1, DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public void For_PendingDigest_IsStableStandInThatFollowsTheFile()
    {
        var modified = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        var standIn = OllamaDigest.For(null, "/m.gguf", 100, modified);

        Assert.Matches("^[0-9a-f]{64}$", standIn);
        Assert.Equal(standIn, OllamaDigest.For(null, "/m.gguf", 100, modified.ToOffset(TimeSpan.FromHours(2))));
        Assert.NotEqual(standIn, OllamaDigest.For(null, "/m.gguf", 101, modified));
        Assert.NotEqual(standIn, OllamaDigest.For(null, "/m.gguf", 100, modified.AddSeconds(1)));
        Assert.NotEqual(standIn, OllamaDigest.For(null, "/n.gguf", 100, modified));
        Assert.Equal(standIn, OllamaDigest.For("sha256:not-hex", "/m.gguf", 100, modified));
    }
}
