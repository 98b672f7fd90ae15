using LlamaAspire.Gateway.Ollama;

namespace LlamaAspire.Gateway.Tests.Ollama;

/// <summary>Against Ollama's format.HumanNumber and the sizes it shows for real models (protocols.md §1.8).</summary>
public sealed class OllamaParameterSizeTests
{
    [Theory]
    [InlineData(8_030_261_248L, "8.0B")]
    [InlineData(7_615_616_512L, "7.6B")]
    [InlineData(8_000_000_000L, "8B")]
    [InlineData(3_212_749_888L, "3.2B")]
    [InlineData(1_235_814_400L, "1.2B")]
    [InlineData(70_553_706_496L, "70.6B")]
    [InlineData(494_032_768L, "494.03M")]
    [InlineData(137_000_000L, "137M")]
    [InlineData(1_000_000L, "1M")]
    [InlineData(26_000L, "26K")]
    [InlineData(1_000L, "1K")]
    [InlineData(999L, "999")]
    [InlineData(0L, "0")]
    public void Format_KnownCounts_MatchOllama(long count, string expected) =>
        Assert.Equal(expected, OllamaParameterSize.Format(count));

    [Theory]
    [InlineData(8_250_000_000L, "8.2B")]
    [InlineData(8_750_000_000L, "8.8B")]
    [InlineData(1_050_000_000L, "1.1B")]
    [InlineData(2_125_000L, "2.12M")]
    [InlineData(2_500L, "2K")]
    [InlineData(3_500L, "4K")]
    public void Format_HalfwayValues_RoundLikeGoPrintf(long count, string expected) =>
        Assert.Equal(expected, OllamaParameterSize.Format(count));
}
