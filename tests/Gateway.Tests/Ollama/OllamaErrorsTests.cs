using System.Net;
using System.Text;
using LlamaAspire.Gateway.Ollama;
using LlamaAspire.Gateway.Upstream;

namespace LlamaAspire.Gateway.Tests.Ollama;

public sealed class OllamaErrorsTests
{
    [Theory]
    [InlineData(HttpStatusCode.NotFound, "unknown model", 404, "model \"llama3.2\" not found, try pulling it first")]
    [InlineData(HttpStatusCode.BadRequest, "bad context length", 400, "bad context length")]
    [InlineData(HttpStatusCode.BadGateway, "llama-server exited with code 1 while loading", 500, "llama-server exited with code 1 while loading")]
    [InlineData(HttpStatusCode.ServiceUnavailable, "server busy, please try again.  maximum pending requests exceeded", 503, "server busy, please try again.  maximum pending requests exceeded")]
    [InlineData(HttpStatusCode.InsufficientStorage, "model requires more memory than is available", 500, "model requires more memory than is available")]
    public void FromRefusal_RunnerAgentStatus_MapsToOllamaStatus(HttpStatusCode status, string message, int expectedStatus, string expectedMessage)
    {
        var error = OllamaErrors.FromRefusal(new LeaseRefusal(status, message, null), "llama3.2");

        Assert.Equal(new OllamaError(expectedStatus, expectedMessage), error);
    }

    [Fact]
    public void FromLlamaServer_RealContextError_KeepsMessageAnd400()
    {
        // Captured: a 3523-token prompt sent to a 512-token llama-server.
        var error = OllamaErrors.FromLlamaServer(400, Golden.Read("error-context.llama.json"));

        Assert.Equal(400, error.Status);
        Golden.AssertJson("error-context.ollama.json", error.ToJson());
    }

    [Fact]
    public void FromLlamaServer_RealInvalidRequest_KeepsMessageAnd400()
    {
        var error = OllamaErrors.FromLlamaServer(400, Golden.Read("error-format.llama.json"));

        Assert.Equal(new OllamaError(400, "response_format type must be one of \"text\" or \"json_object\", but got: bogus"), error);
    }

    [Theory]
    [InlineData(501, """{"error":{"code":501,"message":"This server does not support embeddings. Start it with `--embeddings`","type":"not_supported_error"}}""", 400, "This server does not support embeddings. Start it with `--embeddings`")]
    [InlineData(503, """{"error":{"code":503,"message":"Loading model","type":"unavailable_error"}}""", 503, "Loading model")]
    [InlineData(500, """{"error":{"code":500,"message":"context shift is disabled","type":"server_error"}}""", 500, "context shift is disabled")]
    [InlineData(404, """{"error":{"code":404,"message":"File Not Found","type":"not_found_error"}}""", 404, "File Not Found")]
    [InlineData(500, "got exception: std::bad_alloc\n", 500, "got exception: std::bad_alloc")]
    [InlineData(502, "", 500, "llama-server answered 502")]
    public void FromLlamaServer_ErrorBody_MapsToOllama(int status, string body, int expectedStatus, string expectedMessage)
    {
        Assert.Equal(new OllamaError(expectedStatus, expectedMessage), OllamaErrors.FromLlamaServer(status, Encoding.UTF8.GetBytes(body)));
    }

    [Fact]
    public void StreamLine_Message_IsOneErrorJsonLine()
    {
        Assert.Equal("{\"error\":\"llama-server went away\"}\n", Encoding.UTF8.GetString(OllamaErrors.StreamLine("llama-server went away")));
    }

    [Fact]
    public void ToJson_NotFound_IsOllamaBody()
    {
        Assert.Equal("{\"error\":\"model \\\"x\\\" not found, try pulling it first\"}", Encoding.UTF8.GetString(OllamaErrors.ModelNotFound("x").ToJson()));
    }
}
