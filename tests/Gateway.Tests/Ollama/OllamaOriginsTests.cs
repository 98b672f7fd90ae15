using LlamaAspire.Gateway.Ollama;

namespace LlamaAspire.Gateway.Tests.Ollama;

public sealed class OllamaOriginsTests
{
    [Theory]
    [InlineData("http://localhost")]
    [InlineData("http://localhost:3000")]
    [InlineData("https://LOCALHOST:443")]
    [InlineData("http://127.0.0.1:11434")]
    [InlineData("https://0.0.0.0")]
    [InlineData("app://obsidian.md")]
    [InlineData("file://")]
    [InlineData("tauri://localhost")]
    [InlineData("vscode-webview://1a2b")]
    [InlineData("vscode-file://vscode-app")]
    public void IsAllowed_OllamaDefault_IsTrue(string origin) =>
        Assert.True(OllamaOrigins.IsAllowed(origin, []));

    [Theory]
    [InlineData("https://example.com")]
    [InlineData("http://localhost.example.com")]
    [InlineData("http://127.0.0.2")]
    [InlineData("chrome-extension://abc")]
    [InlineData("null")]
    public void IsAllowed_OtherOrigin_IsFalse(string origin) =>
        Assert.False(OllamaOrigins.IsAllowed(origin, []));

    [Theory]
    [InlineData("https://example.com", "https://example.com", true)]
    [InlineData("https://example.com", "https://example.com.evil", false)]
    [InlineData("chrome-extension://*", "chrome-extension://abc", true)]
    [InlineData("https://*.example.com", "https://chat.example.com", true)]
    [InlineData("https://*.example.com", "https://example.org", false)]
    [InlineData("*", "https://anything", true)]
    public void IsAllowed_ConfiguredPattern_MatchesWithOneWildcard(string pattern, string origin, bool expected) =>
        Assert.Equal(expected, OllamaOrigins.IsAllowed(origin, [pattern]));

    [Theory]
    [InlineData("https://example.com", true)]
    [InlineData("*", true)]
    [InlineData("chrome-extension://*", true)]
    [InlineData("example.com", false)]
    [InlineData("https://*.*.com", false)]
    [InlineData("", false)]
    public void IsValidPattern_Pattern_AcceptsOriginsOnly(string pattern, bool expected) =>
        Assert.Equal(expected, OllamaOrigins.IsValidPattern(pattern));
}
