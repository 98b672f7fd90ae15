using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LlamaAspire.RunnerAgent.Metadata;
using LlamaAspire.RunnerAgent.Tests.Support;
using LlamaAspire.TestSupport;
using LlamaAspire.TestSupport.Network;
using LlamaAspire.TestSupport.Processes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LlamaAspire.RunnerAgent.Tests.Runners;

/// <summary>Embedding models: the real llama-server on a tiny embedding model, facts from a fake MetadataService.</summary>
public sealed class EmbeddingRunnerTests(ITestOutputHelper output)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EnsureStartedAsync_EmbeddingModel_ServesEmbeddings()
    {
        using var dir = new TempDirectory("registry-embedding");
        await using (var harness = await RegistryHarness.StartAsync(output, 1, Models.Embedding(dir, "tiny-embed")))
        {
            var runner = await harness.StartReadyAsync("tiny-embed", Ct);
            using var http = new HttpClient();

            using var response = await http.PostAsJsonAsync(new Uri(runner.Endpoint + "/v1/embeddings"), new { model = "tiny-embed", input = "hello" }, Ct);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

            Assert.Contains("--embeddings", File.ReadAllText($"/proc/{runner.Pid}/cmdline").Split('\0'));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.NotEqual(0, body.GetProperty("data")[0].GetProperty("embedding").GetArrayLength());
        }

        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task FindAsync_AnswerWithoutFacts_IsNotEmbedding()
    {
        await using var metadata = await LoopbackWebServer.StartAsync(app =>
            app.MapGet("/models/{**id}", (string id) => Results.Json(new { id, path = "/m/x.gguf", sizeBytes = 1 })), Ct);
        using var http = new HttpClient { BaseAddress = metadata.BaseAddress };

        var model = await new MetadataClient(http).FindAsync("x", Ct);

        Assert.Equal(("x", false), (model?.Id, model?.IsEmbedding));
    }
}
