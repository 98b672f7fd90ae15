using System.Text;
using LlamaAspire.Gateway.Anthropic;
using LlamaAspire.Gateway.Forwarding;
using LlamaAspire.Gateway.Tests.Responses;

namespace LlamaAspire.Gateway.Tests.Anthropic;

public sealed class AnthropicRequestTranslatorTests
{
    [Fact]
    public void Translate_StringSystemAndMessage_GivesChatMessagesSamplingAndStops()
    {
        var translation = AnthropicRequestTranslator.Translate(TranslatorGolden.Read("request-text.anthropic.json"));

        var request = Assert.IsType<ChatRequest>(translation.Request);
        Assert.Equal(("tiny-chat", true), (request.Model, request.Stream));
        TranslatorGolden.AssertJson("request-text.llama.json", request.Body);
    }

    [Fact]
    public void Translate_BlocksToolUseAndToolResults_GivesToolCallsThenToolMessagesBeforeTheUsersText()
    {
        var translation = AnthropicRequestTranslator.Translate(TranslatorGolden.Read("request-blocks-tools.anthropic.json"));

        var request = Assert.IsType<ChatRequest>(translation.Request);
        Assert.False(request.Stream);
        TranslatorGolden.AssertJson("request-blocks-tools.llama.json", request.Body);
    }

    [Theory]
    [InlineData("{\"model\":", "not valid JSON", null)]
    [InlineData("\"text\"", "must be a JSON object", null)]
    [InlineData("{\"max_tokens\":5,\"messages\":[]}", "model: Field required", "model")]
    [InlineData("{\"model\":\"m\",\"messages\":[]}", "max_tokens: Field required", "max_tokens")]
    [InlineData("{\"model\":\"m\",\"max_tokens\":0,\"messages\":[]}", "max_tokens: Input should be a positive integer", "max_tokens")]
    [InlineData("{\"model\":\"m\",\"max_tokens\":5}", "messages: Field required", "messages")]
    [InlineData("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"system\",\"content\":\"x\"}]}", "messages.0.role: Input should be 'user' or 'assistant'", "messages.0.role")]
    [InlineData("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"document\"}]}]}", "type 'document' are not supported", "messages.0.content.0.type")]
    [InlineData("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[],\"tools\":[{\"type\":\"web_search_20250305\",\"name\":\"web_search\"}]}", "type 'web_search_20250305' are not supported", "tools.0.type")]
    [InlineData("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[],\"stop_sequences\":[1]}", "stop_sequences: Input should be a valid list of strings", "stop_sequences")]
    public void Translate_BadRequest_RefusesWithTheReasonAndParameter(string body, string message, string? param)
    {
        var translation = AnthropicRequestTranslator.Translate(Encoding.UTF8.GetBytes(body));

        Assert.Null(translation.Request);
        Assert.Equal(400, translation.Status);
        Assert.Contains(message, translation.Message, StringComparison.Ordinal);
        Assert.Equal(param, translation.Param);
    }
}
