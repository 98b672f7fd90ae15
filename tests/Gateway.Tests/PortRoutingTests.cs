using System.Net;
using LlamaAspire.Gateway.Tests.Support;

namespace LlamaAspire.Gateway.Tests;

/// <summary>Each API answers on its own port, whatever the request's Host header says.</summary>
public sealed class PortRoutingTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private readonly GatewayProcess _gateway = fixture.Gateway;

    [Fact]
    public async Task Root_OnLmStudioPort_IsLmStudioUnexpectedEndpoint()
    {
        var ct = TestContext.Current.CancellationToken;

        using var response = await _gateway.LmStudio.GetAsync(new Uri("/", UriKind.Relative), ct);

        HttpAssert.JsonEqual("""{"error":"Unexpected endpoint or method. (GET /)"}""", await HttpAssert.JsonAsync(response, HttpStatusCode.OK, ct));
    }

    [Fact]
    public async Task V1Models_OnOllamaPort_IsOllamasListNotLmStudios()
    {
        var ct = TestContext.Current.CancellationToken;

        using var response = await _gateway.Ollama.GetAsync(new Uri("/v1/models", UriKind.Relative), ct);

        AssertOllamaModelList(await HttpAssert.JsonAsync(response, HttpStatusCode.OK, ct));
    }

    [Theory]
    [InlineData("localhost:1234")]
    [InlineData("127.0.0.1:8080")]
    public async Task Root_OnOllamaPortWithForgedHost_StillAnswersOllama(string host)
    {
        var ct = TestContext.Current.CancellationToken;
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/", UriKind.Relative));
        request.Headers.Host = host;

        using var response = await _gateway.Ollama.SendAsync(request, ct);

        Assert.Equal("Ollama is running", await HttpAssert.TextAsync(response, HttpStatusCode.OK, "text/plain", ct));
    }

    [Fact]
    public async Task V1Models_OnOllamaPortWithLmStudioHost_IsStillOllamas()
    {
        var ct = TestContext.Current.CancellationToken;
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/v1/models", UriKind.Relative));
        request.Headers.Host = "localhost:1234";

        using var response = await _gateway.Ollama.SendAsync(request, ct);

        AssertOllamaModelList(await HttpAssert.JsonAsync(response, HttpStatusCode.OK, ct));
    }

    /// <summary>Ollama's OpenAI layer names models name:tag and owns them as "library"; LM Studio's list does neither.</summary>
    private static void AssertOllamaModelList(System.Text.Json.Nodes.JsonNode body)
    {
        var models = body["data"]!.AsArray();
        Assert.NotEmpty(models);
        Assert.All(models, m => Assert.Equal("library", m!["owned_by"]!.GetValue<string>()));
        Assert.All(models, m => Assert.Contains(":", m!["id"]!.GetValue<string>(), StringComparison.Ordinal));
    }
}
