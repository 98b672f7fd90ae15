using System.Text;
using LlamaAspire.Gateway.Ollama;

namespace LlamaAspire.Gateway.Tests.Ollama;

public sealed class OllamaLoadRequestsTests
{
    [Theory]
    [InlineData("""{"model":"m"}""", OllamaLoadAction.Load)]
    [InlineData("""{"model":"m","messages":[]}""", OllamaLoadAction.Load)]
    [InlineData("""{"model":"m","messages":[],"keep_alive":"10m"}""", OllamaLoadAction.Load)]
    [InlineData("""{"model":"m","messages":[],"keep_alive":0}""", OllamaLoadAction.Unload)]
    [InlineData("""{"model":"m","messages":[],"keep_alive":"0s"}""", OllamaLoadAction.Unload)]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}],"keep_alive":0}""", OllamaLoadAction.None)]
    public void ClassifyChat_EmptyMessages_LoadsOrUnloads(string body, OllamaLoadAction expected)
    {
        var parsed = OllamaRequestParser.ParseChat(Encoding.UTF8.GetBytes(body));

        Assert.Equal(expected, OllamaLoadRequests.Classify(parsed.Request!, parsed.KeepAlive));
    }

    [Theory]
    [InlineData("""{"model":"m","prompt":""}""", OllamaLoadAction.Load)]
    [InlineData("""{"model":"m","keep_alive":0,"prompt":""}""", OllamaLoadAction.Unload)]
    [InlineData("""{"model":"m","prompt":"hi","keep_alive":0}""", OllamaLoadAction.None)]
    public void ClassifyGenerate_EmptyPrompt_LoadsOrUnloads(string body, OllamaLoadAction expected)
    {
        var parsed = OllamaRequestParser.ParseGenerate(Encoding.UTF8.GetBytes(body));

        Assert.Equal(expected, OllamaLoadRequests.Classify(parsed.Request!, parsed.KeepAlive));
    }

    [Fact]
    public void ChatAnswer_Unload_IsOneDoneObject()
    {
        Golden.AssertJson("chat-unload.ollama.json", OllamaLoadRequests.ChatAnswer("llama3.2", OllamaLoadAction.Unload, new FixedTime()));
    }

    [Fact]
    public void GenerateAnswer_Load_HasEmptyResponse()
    {
        Golden.AssertJson("generate-load.ollama.json", OllamaLoadRequests.GenerateAnswer("llama3.2", OllamaLoadAction.Load, new FixedTime()));
    }

    [Fact]
    public void EmbedAnswers_NoInput_AreEmpty()
    {
        Assert.Equal("""{"model":"m","embeddings":[]}""", Encoding.UTF8.GetString(OllamaLoadRequests.EmbedAnswer("m")));
        Assert.Equal("""{"embedding":[]}""", Encoding.UTF8.GetString(OllamaLoadRequests.EmbeddingsAnswer()));
    }

    [Fact]
    public void ChatAnswer_None_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => OllamaLoadRequests.ChatAnswer("m", OllamaLoadAction.None, new FixedTime()));
    }
}
