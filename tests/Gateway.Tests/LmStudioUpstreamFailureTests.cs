using System.Net;
using System.Net.Http.Json;
using LlamaAspire.Gateway.Tests.Support;
using LlamaAspire.TestSupport.Network;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LlamaAspire.Gateway.Tests;

/// <summary>When MetadataService or the RunnerAgent fails, LM Studio's REST and inference routes answer LM Studio JSON, never a bare 500.</summary>
public sealed class LmStudioUpstreamFailureTests
{
    [Theory]
    [InlineData("/api/v0/models")]
    [InlineData("/api/v0/models/publisher%2Fmodel")]
    [InlineData("/api/v1/models")]
    public async Task Models_MetadataServiceFails_Answers503InLmStudiosEnvelope(string path)
    {
        var ct = TestContext.Current.CancellationToken;
        var crash = Results.Content("<html><body>upstream crashed</body></html>", "text/html", statusCode: 500);
        await using var metadata = await LoopbackWebServer.StartAsync(app =>
        {
            app.MapGet("/models", () => crash);
            app.MapGet("/models/{**id}", () => crash);
        }, ct);
        await using var gateway = await GatewayProcess.StartHealthyAsync(metadata.BaseAddress, ct);

        using var response = await gateway.LmStudio.GetAsync(new Uri(path, UriKind.Relative), ct);

        var error = (await HttpAssert.JsonAsync(response, HttpStatusCode.ServiceUnavailable, ct))["error"]!;
        Assert.Equal("server_error", error["type"]!.GetValue<string>());
        Assert.Contains("MetadataService", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task V0Models_RunnerAgentUnreachable_ListsEveryModelAsNotLoaded()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var metadata = await LoopbackWebServer.StartAsync(app =>
            app.MapGet("/models", () => Results.Bytes(LmStudioGolden.Read("catalog.json"), "application/json")), ct);
        await using var gateway = await GatewayProcess.StartHealthyAsync(
            metadata.BaseAddress, new Uri($"http://127.0.0.1:{FreePort.Next()}"), new Dictionary<string, string>(), ct);

        using var response = await gateway.LmStudio.GetAsync(new Uri("/api/v0/models", UriKind.Relative), ct);

        var models = (await HttpAssert.JsonAsync(response, HttpStatusCode.OK, ct))["data"]!.AsArray();
        Assert.Equal(5, models.Count);
        Assert.All(models, m => Assert.Equal("not-loaded", m!["state"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("/v1/chat/completions")]
    [InlineData("/api/v0/chat/completions")]
    public async Task ChatCompletions_RunnerAgentUnreachable_Answers503InLmStudiosEnvelope(string path)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var metadata = await FakeMetadataService.StartWithModelsAsync(ct, "m");
        await using var gateway = await GatewayProcess.StartHealthyAsync(
            metadata.BaseAddress, new Uri($"http://127.0.0.1:{FreePort.Next()}"), new Dictionary<string, string>(), ct);

        using var response = await gateway.LmStudio.PostAsJsonAsync(path, new { model = "m", messages = new[] { new { role = "user", content = "hi" } } }, ct);

        var error = (await HttpAssert.JsonAsync(response, HttpStatusCode.ServiceUnavailable, ct))["error"]!;
        Assert.Equal(("server_error", "runner_unavailable"), (error["type"]!.GetValue<string>(), error["code"]!.GetValue<string>()));
    }
}
