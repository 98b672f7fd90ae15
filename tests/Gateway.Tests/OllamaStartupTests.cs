using LlamaAspire.Gateway.Tests.Support;
using LlamaAspire.TestSupport.Network;

namespace LlamaAspire.Gateway.Tests;

/// <summary>Ollama:* settings are checked when the Gateway starts, not at the first request.</summary>
public sealed class OllamaStartupTests
{
    [Theory]
    [InlineData("Ollama__Version", "0.6.3")]
    [InlineData("Ollama__Version", "0.12.3-rc1")]
    [InlineData("Ollama__Version", "v0.12.3")]
    [InlineData("Ollama__AllowedOrigins__0", "localhost")]
    public async Task Start_InvalidOllamaSetting_ExitsNamingTheSetting(string name, string value)
    {
        var ct = TestContext.Current.CancellationToken;
        var unused = new Uri($"http://127.0.0.1:{FreePort.Next()}");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            GatewayProcess.StartHealthyAsync(unused, unused, new Dictionary<string, string> { [name] = value }, ct));

        Assert.Contains(name.Replace("__", ":", StringComparison.Ordinal).Replace(":0", "", StringComparison.Ordinal), error.Message, StringComparison.Ordinal);
    }
}
