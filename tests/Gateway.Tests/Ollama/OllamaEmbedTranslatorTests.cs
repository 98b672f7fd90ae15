using System.Text.Json;
using LlamaAspire.Gateway.Ollama;

namespace LlamaAspire.Gateway.Tests.Ollama;

public sealed class OllamaEmbedTranslatorTests
{
    [Fact]
    public void ToLlamaServer_Inputs_AsksForFloatVectors()
    {
        var parsed = OllamaRequestParser.ParseEmbed("""{"model":"all-minilm","input":["hello world","second"],"truncate":true}"""u8);

        var call = OllamaEmbedTranslator.ToLlamaServer(parsed.Request!.Inputs);

        Assert.Equal(LlamaServerCall.EmbeddingsPath, call.Path);
        Assert.Equal("""{"input":["hello world","second"],"encoding_format":"float"}""", call.Body.ToJsonString());
    }

    [Fact]
    public void FromLlamaServer_RealAnswer_GivesOllamaEmbed()
    {
        // Captured from llama-server 3.22.1 --embeddings with the tiny embedding model (64 dimensions).
        using var upstream = JsonDocument.Parse(Golden.Read("embed.llama.json"));

        var answer = OllamaEmbedTranslator.FromLlamaServer(upstream.RootElement, "all-minilm", null, TimeSpan.FromMilliseconds(14.143917), TimeSpan.FromMilliseconds(1.0195));

        Golden.AssertJson("embed.ollama.json", OllamaJson.Serialize(answer));
    }

    [Fact]
    public void FromLlamaServer_Dimensions_TruncatesAndRenormalizes()
    {
        using var upstream = JsonDocument.Parse("""{"data":[{"index":1,"embedding":[0.6,0.8,0]},{"index":0,"embedding":[0.5,0.5,0.5,0.5]}],"usage":{"prompt_tokens":4}}""");

        var answer = OllamaEmbedTranslator.FromLlamaServer(upstream.RootElement, "m", 2, TimeSpan.FromSeconds(1), TimeSpan.Zero);

        Assert.Equal([0.70710677f, 0.70710677f], answer.Embeddings[0]);
        Assert.Equal([0.6f, 0.8f], answer.Embeddings[1]);
        Assert.Equal(4, answer.PromptEvalCount);
    }

    [Fact]
    public void FromLlamaServerLegacy_RealAnswer_GivesFirstVector()
    {
        using var upstream = JsonDocument.Parse(Golden.Read("embed.llama.json"));

        var answer = OllamaEmbedTranslator.FromLlamaServerLegacy(upstream.RootElement);

        Assert.Equal(64, answer.Embedding.Count);
        Assert.Equal(0.05998075008392334, answer.Embedding[0], 1e-7);
        Assert.StartsWith("{\"embedding\":[", System.Text.Encoding.UTF8.GetString(OllamaJson.Serialize(answer)), StringComparison.Ordinal);
    }
}
