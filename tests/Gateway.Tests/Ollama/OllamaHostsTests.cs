using System.Net;
using LlamaAspire.Gateway.Ollama;

namespace LlamaAspire.Gateway.Tests.Ollama;

public sealed class OllamaHostsTests
{
    private static readonly IPAddress OwnAddress = IPAddress.Parse("203.0.113.7");

    [Theory]
    [InlineData("")]
    [InlineData("localhost")]
    [InlineData("LOCALHOST:11434")]
    [InlineData("127.0.0.1:11434")]
    [InlineData("[::1]:11434")]
    [InlineData("0.0.0.0:11434")]
    [InlineData("192.168.1.20:11434")]
    [InlineData("10.0.0.5")]
    [InlineData("172.20.0.1")]
    [InlineData("203.0.113.7:11434")]
    [InlineData("ollama.localhost")]
    [InlineData("nas.local:11434")]
    [InlineData("host.docker.internal:11434")]
    [InlineData("my-box:11434")]
    public void IsAllowed_ThisMachineOnLoopback_IsTrue(string host) =>
        Assert.True(OllamaHosts.IsAllowed(host, IPAddress.Loopback, "My-Box", a => a.Equals(OwnAddress)));

    [Theory]
    [InlineData("evil.example.com")]
    [InlineData("evil.example.com:11434")]
    [InlineData("localhost.evil.com")]
    [InlineData("8.8.8.8:11434")]
    [InlineData("172.32.0.1")]
    public void IsAllowed_OtherHostOnLoopback_IsFalse(string host) =>
        Assert.False(OllamaHosts.IsAllowed(host, IPAddress.Loopback, "my-box", a => a.Equals(OwnAddress)));

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("192.168.1.20")]
    public void IsAllowed_ListeningBeyondLoopback_AllowsAnyHost(string listen) =>
        Assert.True(OllamaHosts.IsAllowed("evil.example.com", IPAddress.Parse(listen), "my-box", _ => false));
}
