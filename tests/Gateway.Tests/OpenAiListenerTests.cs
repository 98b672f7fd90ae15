using System.Net;
using System.Text.Json.Nodes;
using LlamaAspire.Gateway.Tests.Support;

namespace LlamaAspire.Gateway.Tests;

/// <summary>The OpenAI port: errors come in OpenAI's envelope, which SDKs parse for error.message.</summary>
public sealed class OpenAiListenerTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private readonly GatewayProcess _gateway = fixture.Gateway;

    [Theory]
    [InlineData("GET", "/x")]
    [InlineData("POST", "/v1/does-not-exist")]
    [InlineData("GET", "/v1/files/file-1")]
    public async Task UnknownRoute_AnyMethod_Answers404OpenAiErrorEnvelope(string method, string path)
    {
        var ct = TestContext.Current.CancellationToken;
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));

        using var response = await _gateway.OpenAi.SendAsync(request, ct);

        var body = (await HttpAssert.JsonAsync(response, HttpStatusCode.NotFound, ct)).AsObject();
        Assert.Equal(["error"], body.Select(p => p.Key));
        var error = Assert.IsType<JsonObject>(body["error"]);
        Assert.Equal(["code", "message", "param", "type"], error.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Contains(path, error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("invalid_request_error", error["type"]!.GetValue<string>());
    }
}
