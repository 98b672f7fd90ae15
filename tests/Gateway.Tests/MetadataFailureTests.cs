using System.Net;
using System.Text.Json.Nodes;
using LlamaAspire.Gateway.Tests.Support;
using LlamaAspire.TestSupport.Network;
using Microsoft.AspNetCore.Http;

namespace LlamaAspire.Gateway.Tests;

/// <summary>When MetadataService fails, LM Studio clients get a JSON error, never a bare 500 or an upstream HTML page.</summary>
public sealed class MetadataFailureTests
{
    public enum Failure
    {
        Unreachable,
        ServerErrorWithHtml,
        MalformedJson,
    }

    [Theory]
    [InlineData(Failure.Unreachable)]
    [InlineData(Failure.ServerErrorWithHtml)]
    [InlineData(Failure.MalformedJson)]
    public async Task Models_MetadataServiceFails_Answers503WithLmStudioStringError(Failure failure)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var metadata = failure == Failure.Unreachable ? null : await FakeMetadataService.StartAsync(ResponseFor(failure), ct);
        var metadataUrl = metadata?.BaseAddress ?? new Uri($"http://127.0.0.1:{FreePort.Next()}");
        await using var gateway = await GatewayProcess.StartHealthyAsync(metadataUrl, ct);

        using var response = await gateway.LmStudio.GetAsync(new Uri("/v1/models", UriKind.Relative), ct);

        var body = (await HttpAssert.JsonAsync(response, HttpStatusCode.ServiceUnavailable, ct)).AsObject();
        Assert.Equal(["error"], body.Select(p => p.Key));
        var message = Assert.IsType<JsonValue>(body["error"], exactMatch: false).GetValue<string>();
        Assert.Contains("MetadataService", message, StringComparison.Ordinal);
        Assert.DoesNotContain("<html>", message, StringComparison.OrdinalIgnoreCase);
    }

    private static IResult ResponseFor(Failure failure) => failure switch
    {
        Failure.ServerErrorWithHtml => Results.Content("<html><body>upstream crashed</body></html>", "text/html", statusCode: 500),
        Failure.MalformedJson => Results.Text("{\"not\": \"a list\"", "application/json"),
        _ => throw new ArgumentOutOfRangeException(nameof(failure), failure, null),
    };
}
