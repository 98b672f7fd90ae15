using System.Net;
using LlamaAspire.Gateway.Tests.Support;

namespace LlamaAspire.Gateway.Tests;

/// <summary>The Ollama port's router answers, as the real server's gin router does (protocols.md §1.1).</summary>
public sealed class OllamaListenerTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private readonly GatewayProcess _gateway = fixture.Gateway;

    [Fact]
    public async Task Root_Get_AnswersOllamaIsRunningAsPlainText()
    {
        var ct = TestContext.Current.CancellationToken;

        using var response = await _gateway.Ollama.GetAsync(new Uri("/", UriKind.Relative), ct);

        Assert.Equal("Ollama is running", await HttpAssert.TextAsync(response, HttpStatusCode.OK, "text/plain", ct));
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
    }

    [Fact]
    public async Task Root_ForeignHostHeader_Answers403JsonOnlyOnTheOllamaPort()
    {
        var ct = TestContext.Current.CancellationToken;
        using var ollama = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/version", UriKind.Relative)) { Headers = { Host = "evil.example.com" } };
        using var lmStudio = new HttpRequestMessage(HttpMethod.Get, new Uri("/v1/models", UriKind.Relative)) { Headers = { Host = "evil.example.com" } };

        using var refused = await _gateway.Ollama.SendAsync(ollama, ct);
        using var served = await _gateway.LmStudio.SendAsync(lmStudio, ct);

        Assert.Contains("is not allowed", (string?)(await HttpAssert.JsonAsync(refused, HttpStatusCode.Forbidden, ct))["error"], StringComparison.Ordinal);
        Assert.NotEqual(HttpStatusCode.Forbidden, served.StatusCode);
    }

    [Fact]
    public async Task Root_Head_Answers200WithoutBody()
    {
        var ct = TestContext.Current.CancellationToken;
        using var request = new HttpRequestMessage(HttpMethod.Head, new Uri("/", UriKind.Relative));

        using var response = await _gateway.Ollama.SendAsync(request, ct);

        Assert.Equal("", await HttpAssert.TextAsync(response, HttpStatusCode.OK, "text/plain", ct));
    }

    [Theory]
    [InlineData("GET", "/x")]
    [InlineData("GET", "/api/does-not-exist")]
    [InlineData("POST", "/api/does-not-exist")]
    [InlineData("GET", "/v2/models/qwen2.5-7b")]
    [InlineData("GET", "/favicon.ico")]
    public async Task UnknownPath_AnyMethod_Answers404PlainText(string method, string path)
    {
        var ct = TestContext.Current.CancellationToken;
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));

        using var response = await _gateway.Ollama.SendAsync(request, ct);

        Assert.Equal("404 page not found", await HttpAssert.TextAsync(response, HttpStatusCode.NotFound, "text/plain", ct));
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public async Task Root_OtherMethod_Answers405PlainText(string method)
    {
        var ct = TestContext.Current.CancellationToken;
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri("/", UriKind.Relative));

        using var response = await _gateway.Ollama.SendAsync(request, ct);

        Assert.Equal("405 method not allowed", await HttpAssert.TextAsync(response, HttpStatusCode.MethodNotAllowed, "text/plain", ct));
    }
}
