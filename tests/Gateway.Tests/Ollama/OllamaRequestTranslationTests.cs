using LlamaAspire.Gateway.Ollama;

namespace LlamaAspire.Gateway.Tests.Ollama;

public sealed class OllamaRequestTranslationTests
{
    [Fact]
    public void ChatToLlamaServer_AllOptionsJsonFormatThinkFalse_MapsSamplingAndKeepsNumCtxApart()
    {
        var parsed = OllamaRequestParser.ParseChat(Golden.Read("chat-options.ollama.json"));

        Assert.True(parsed.IsValid, parsed.Error);
        var call = OllamaChatTranslator.ToLlamaServer(parsed.Request!, parsed.Options);

        Assert.Equal(LlamaServerCall.ChatCompletionsPath, call.Path);
        Golden.AssertJson("chat-options.llama.json", call.Body);
        Assert.Equal(8192, parsed.Options.NumCtx);
        Assert.Equal(TimeSpan.FromMinutes(10), parsed.KeepAlive);
        Assert.False(parsed.Request!.Streams);
    }

    [Fact]
    public void ChatToLlamaServer_SchemaToolHistoryAndImages_BuildsOpenAiMessages()
    {
        var parsed = OllamaRequestParser.ParseChat(Golden.Read("chat-schema-tools-images.ollama.json"));

        Assert.True(parsed.IsValid, parsed.Error);
        var call = OllamaChatTranslator.ToLlamaServer(parsed.Request!, parsed.Options, servedModel: "qwen2.5vl-7b");

        Assert.Equal("qwen2.5vl:7b", parsed.Request!.ModelName);
        Assert.True(parsed.Request.Streams);
        Golden.AssertJson("chat-schema-tools-images.llama.json", call.Body);
    }

    [Fact]
    public void GenerateToLlamaServer_PromptWithSystem_UsesChatWithSystemAndUserMessages()
    {
        var parsed = OllamaRequestParser.ParseGenerate(Golden.Read("generate.ollama.json"));

        Assert.True(parsed.IsValid, parsed.Error);
        var call = OllamaGenerateTranslator.ToLlamaServer(parsed.Request!, parsed.Options);

        Assert.Equal(LlamaServerCall.ChatCompletionsPath, call.Path);
        Golden.AssertJson("generate.llama.json", call.Body);
    }

    [Fact]
    public void GenerateToLlamaServer_Raw_UsesNativeCompletionWithPromptVerbatim()
    {
        var parsed = OllamaRequestParser.ParseGenerate(Golden.Read("generate-raw.ollama.json"));

        Assert.True(parsed.IsValid, parsed.Error);
        var call = OllamaGenerateTranslator.ToLlamaServer(parsed.Request!, parsed.Options);

        Assert.Equal(LlamaServerCall.CompletionPath, call.Path);
        Golden.AssertJson("generate-raw.llama.json", call.Body);
    }

    [Fact]
    public void GenerateToLlamaServer_Suffix_UsesInfill()
    {
        var parsed = OllamaRequestParser.ParseGenerate(Golden.Read("generate-suffix.ollama.json"));

        Assert.True(parsed.IsValid, parsed.Error);
        var call = OllamaGenerateTranslator.ToLlamaServer(parsed.Request!, parsed.Options);

        Assert.Equal(LlamaServerCall.InfillPath, call.Path);
        Golden.AssertJson("generate-suffix.llama.json", call.Body);
    }

    [Theory]
    [InlineData(-1, null)]
    [InlineData(0, "\"max_tokens\":0")]
    [InlineData(-2, null)]
    [InlineData(-7, null)]
    public void ChatToLlamaServer_NumPredict_FollowsOllamaSemantics(int numPredict, string? expected)
    {
        var parsed = OllamaRequestParser.ParseChat(
            System.Text.Encoding.UTF8.GetBytes($$$"""{"model":"m","messages":[{"role":"user","content":"hi"}],"options":{"num_predict":{{{numPredict}}}}}"""));

        var body = OllamaChatTranslator.ToLlamaServer(parsed.Request!, parsed.Options).Body.ToJsonString();

        if (expected is null)
        {
            Assert.DoesNotContain("max_tokens", body, StringComparison.Ordinal);
            Assert.DoesNotContain("n_predict", body, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains(expected, body, StringComparison.Ordinal);
        }
    }
}
