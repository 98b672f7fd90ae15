using System.Net;
using LlamaAspire.Gateway.Tests.Support;

namespace LlamaAspire.Gateway.Tests;

/// <summary>The LM Studio port (protocols.md §2.2, §2.6).</summary>
public sealed class LmStudioListenerTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private readonly GatewayProcess _gateway = fixture.Gateway;

    [Fact]
    public async Task Models_Get_ListsCatalogInLmStudioShapeAndOrder()
    {
        var ct = TestContext.Current.CancellationToken;

        using var response = await _gateway.LmStudio.GetAsync(new Uri("/v1/models", UriKind.Relative), ct);

        // No "created" field: LM Studio sends none, and the exact comparison rejects extra fields.
        HttpAssert.JsonEqual(
            """
            {"data":[
              {"id":"zeta","object":"model","owned_by":"organization_owner"},
              {"id":"a","object":"model","owned_by":"organization_owner"},
              {"id":"qwen2.5-7b-instruct","object":"model","owned_by":"organization_owner"}
            ],"object":"list"}
            """,
            await HttpAssert.JsonAsync(response, HttpStatusCode.OK, ct));
    }

    [Theory]
    [InlineData("GET", "/x")]
    [InlineData("POST", "/x")]
    [InlineData("POST", "/")]
    [InlineData("POST", "/v1/models")]
    [InlineData("POST", "/chat/completions")]
    [InlineData("OPTIONS", "/v1/chat/completions")]
    [InlineData("GET", "/favicon.ico")]
    public async Task UnknownRoute_AnyMethod_Answers200WithLmStudioStringError(string method, string path)
    {
        var ct = TestContext.Current.CancellationToken;
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));

        using var response = await _gateway.LmStudio.SendAsync(request, ct);

        HttpAssert.JsonEqual(
            $$"""{"error":"Unexpected endpoint or method. ({{method}} {{path}})"}""",
            await HttpAssert.JsonAsync(response, HttpStatusCode.OK, ct));
    }
}
