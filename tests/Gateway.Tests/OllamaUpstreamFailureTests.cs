using System.Net;
using LlamaAspire.Gateway.Tests.Support;
using LlamaAspire.TestSupport.Network;

namespace LlamaAspire.Gateway.Tests;

/// <summary>With MetadataService or the RunnerAgent down, Ollama clients get 503 with Ollama's JSON error, never a bare 500.</summary>
public sealed class OllamaUpstreamFailureTests
{
    [Theory]
    [InlineData("GET", "/api/tags", "", "MetadataService")]
    [InlineData("POST", "/api/show", """{"model":"x"}""", "MetadataService")]
    [InlineData("POST", "/api/pull", """{"model":"x"}""", "MetadataService")]
    [InlineData("GET", "/api/ps", "", "runner agent")]
    public async Task Endpoint_UpstreamUnreachable_Answers503OllamaError(string method, string path, string body, string named)
    {
        var ct = TestContext.Current.CancellationToken;
        var unreachable = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        await using var gateway = await GatewayProcess.StartHealthyAsync(unreachable, unreachable, new Dictionary<string, string>(), ct);
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        if (body.Length > 0) request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");

        using var response = await gateway.Ollama.SendAsync(request, ct);

        var error = (await HttpAssert.JsonAsync(response, HttpStatusCode.ServiceUnavailable, ct)).AsObject();
        Assert.Equal(["error"], error.Select(p => p.Key));
        Assert.Contains(named, (string?)error["error"], StringComparison.Ordinal);
    }
}
