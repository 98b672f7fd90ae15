using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LlamaAspire.Gateway.Tests.Support;

namespace LlamaAspire.Gateway.Tests;

/// <summary>
/// The router routes of a real Gateway process with no RunnerAgent to reach: every answer is llama-server's error
/// envelope with a meaningful status, never a 500 or a hanging stream.
/// </summary>
public sealed class RouterListenerTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private readonly GatewayProcess _gateway = fixture.Gateway;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("GET", "/models", null)]
    [InlineData("GET", "/v1/models", null)]
    [InlineData("GET", "/v1/models/publisher/model", null)]
    [InlineData("GET", "/models/sse", null)]
    [InlineData("POST", "/models/load", """{"model":"a"}""")]
    [InlineData("POST", "/models/unload", """{"model":"a"}""")]
    [InlineData("POST", "/tokenize", """{"model":"a","content":"x"}""")]
    [InlineData("POST", "/completion", """{"prompt":"x"}""")]
    [InlineData("GET", "/slots?model=a", null)]
    [InlineData("GET", "/metrics", null)]
    public async Task RouterRoute_RunnerAgentUnreachable_Answers503Envelope(string method, string path, string? body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");

        using var response = await _gateway.OpenAi.SendAsync(request, Ct);

        var error = AssertEnvelope(await HttpAssert.JsonAsync(response, HttpStatusCode.ServiceUnavailable, Ct), 503);
        Assert.Equal("unavailable_error", error["type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/models/load", "{}", "model name is missing from the request")]
    [InlineData("/models/load", "[1]", "must be a JSON object")]
    [InlineData("/models/load", """{"model":"not-in-catalog"}""", "model is not found")]
    [InlineData("/apply-template", "{", "not valid JSON")]
    public async Task RouterPost_BadRequest_AnswersEnvelopeBeforeAnyAgentCall(string path, string body, string message)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");

        using var response = await _gateway.OpenAi.PostAsync(new Uri(path, UriKind.Relative), content, Ct);

        var status = message == "model is not found" ? HttpStatusCode.NotFound : HttpStatusCode.BadRequest;
        var error = AssertEnvelope(await HttpAssert.JsonAsync(response, status, Ct), (int)status);
        Assert.Contains(message, error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Props_NoModel_AnswersTheRoutersOwnProps()
    {
        using var response = await _gateway.OpenAi.GetAsync(new Uri("/props", UriKind.Relative), Ct);

        var body = await HttpAssert.JsonAsync(response, HttpStatusCode.OK, Ct);
        Assert.Equal("router", body["role"]!.GetValue<string>());
        Assert.Equal(("llama-server", "none"), (body["model_alias"]!.GetValue<string>(), body["model_path"]!.GetValue<string>()));
        Assert.Equal(0, body["default_generation_settings"]!["n_ctx"]!.GetValue<int>());
    }

    private static JsonObject AssertEnvelope(JsonNode body, int code)
    {
        Assert.Equal(["error"], body.AsObject().Select(p => p.Key));
        var error = Assert.IsType<JsonObject>(body["error"]);
        Assert.Equal(["code", "message", "type"], error.Select(p => p.Key));
        Assert.Equal(code, error["code"]!.GetValue<int>());
        return error;
    }
}
