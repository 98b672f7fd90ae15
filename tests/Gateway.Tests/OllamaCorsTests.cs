using System.Net;
using LlamaAspire.Gateway.Tests.Support;

namespace LlamaAspire.Gateway.Tests;

/// <summary>CORS on the Ollama port as Ollama's OLLAMA_ORIGINS defaults allow it, plus Ollama:AllowedOrigins.</summary>
public sealed class OllamaCorsTests(OllamaGatewayFixture fixture) : IClassFixture<OllamaGatewayFixture>
{
    private readonly GatewayProcess _gateway = fixture.Gateway;

    [Theory]
    [InlineData("http://localhost:3000")]
    [InlineData("https://127.0.0.1")]
    [InlineData("http://0.0.0.0:8080")]
    [InlineData("vscode-webview://abc123")]
    [InlineData("tauri://localhost")]
    [InlineData(OllamaGatewayFixture.ExtraOrigin)]
    public async Task Preflight_AllowedOrigin_Answers204WithCorsHeaders(string origin)
    {
        var ct = TestContext.Current.CancellationToken;

        using var response = await _gateway.Ollama.SendAsync(Preflight(origin, "/api/chat"), ct);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(origin, Header(response, "Access-Control-Allow-Origin"));
        Assert.Contains("POST", Header(response, "Access-Control-Allow-Methods"), StringComparison.Ordinal);
        Assert.Contains("Content-Type", Header(response, "Access-Control-Allow-Headers"), StringComparison.Ordinal);
        Assert.Contains("x-stainless-os", Header(response, "Access-Control-Allow-Headers"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("http://localhost.evil.example")]
    public async Task Preflight_DisallowedOrigin_Answers403WithoutCorsHeaders(string origin)
    {
        var ct = TestContext.Current.CancellationToken;

        using var response = await _gateway.Ollama.SendAsync(Preflight(origin, "/api/tags"), ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Get_AllowedOrigin_EchoesOrigin()
    {
        var ct = TestContext.Current.CancellationToken;
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/version", UriKind.Relative));
        request.Headers.Add("Origin", "http://localhost:5173");

        using var response = await _gateway.Ollama.SendAsync(request, ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("http://localhost:5173", Header(response, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Get_DisallowedOrigin_AnswersWithoutCorsHeaders()
    {
        var ct = TestContext.Current.CancellationToken;
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/version", UriKind.Relative));
        request.Headers.Add("Origin", "https://evil.example");

        using var response = await _gateway.Ollama.SendAsync(request, ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Preflight_OnLmStudioPort_GetsNoOllamaCors()
    {
        var ct = TestContext.Current.CancellationToken;

        using var response = await _gateway.LmStudio.SendAsync(Preflight("http://localhost:3000", "/v1/models"), ct);

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    private static HttpRequestMessage Preflight(string origin, string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, new Uri(path, UriKind.Relative));
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type");
        return request;
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : "";
}
