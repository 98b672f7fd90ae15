using System.Text;
using System.Text.Json.Nodes;
using LlamaAspire.Gateway.Forwarding;
using LlamaAspire.Gateway.Responses;

namespace LlamaAspire.Gateway.Tests.Responses;

public sealed class ResponsesRequestTranslatorTests
{
    private static readonly Func<string, JsonArray?> NoHistory = _ => null;

    [Fact]
    public void Translate_PreviousResponseId_PutsTheStoredConversationAfterTheNewInstructionsAndBeforeTheNewInput()
    {
        var stored = new JsonArray(
            new JsonObject { ["role"] = "user", ["content"] = "Weather in Tokyo?" },
            new JsonObject
            {
                ["role"] = "assistant", ["content"] = "",
                ["tool_calls"] = new JsonArray(new JsonObject { ["id"] = "call_1", ["type"] = "function", ["function"] = new JsonObject { ["name"] = "get_weather", ["arguments"] = "{}" } }),
            });
        var asked = new List<string>();

        var translation = ResponsesRequestTranslator.Translate(TranslatorGolden.Read("request-previous.responses.json"), id =>
        {
            asked.Add(id);
            return stored;
        });

        Assert.Equal(["resp_earlier"], asked);
        TranslatorGolden.AssertJson("request-previous.llama.json", Assert.IsType<ChatRequest>(translation.Request).Body);
    }

    [Fact]
    public void Translate_StringInputWithInstructions_GivesSystemAndUserMessagesAndSampling()
    {
        var translation = ResponsesRequestTranslator.Translate(TranslatorGolden.Read("request-text.responses.json"), NoHistory);

        var request = Assert.IsType<ChatRequest>(translation.Request);
        Assert.Equal(("tiny-chat", true), (request.Model, request.Stream));
        TranslatorGolden.AssertJson("request-text.llama.json", request.Body);
    }

    [Fact]
    public void Translate_ItemsToolsAndJsonSchema_GivesChatMessagesToolCallsAndResponseFormat()
    {
        var translation = ResponsesRequestTranslator.Translate(TranslatorGolden.Read("request-items-tools.responses.json"), NoHistory);

        var request = Assert.IsType<ChatRequest>(translation.Request);
        Assert.False(request.Stream);
        TranslatorGolden.AssertJson("request-items-tools.llama.json", request.Body);
    }

    [Theory]
    [InlineData("{\"model\":", "could not parse the JSON body", null)]
    [InlineData("[1]", "must be a JSON object", null)]
    [InlineData("{\"input\":\"hi\"}", "you must provide a model parameter", "model")]
    [InlineData("{\"model\":\"m\"}", "Missing required parameter: 'input'", "input")]
    [InlineData("{\"model\":\"m\",\"input\":42}", "'input' must be a string or an array", "input")]
    [InlineData("{\"model\":\"m\",\"input\":\"hi\",\"previous_response_id\":\"resp_1\"}", "Previous response with id 'resp_1' not found.", "previous_response_id")]
    [InlineData("{\"model\":\"m\",\"input\":[{\"role\":\"tool\",\"content\":\"x\"}]}", "'input[0].role' must be one of", "input[0].role")]
    [InlineData("{\"model\":\"m\",\"input\":[{\"type\":\"file_search_call\"}]}", "type 'file_search_call' are not supported", "input[0].type")]
    [InlineData("{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_file\"}]}]}", "type 'input_file' are not supported", "input[0].content[0].type")]
    [InlineData("{\"model\":\"m\",\"input\":\"hi\",\"tools\":[{\"type\":\"web_search\"}]}", "Only tools of type 'function'", "tools[0].type")]
    [InlineData("{\"model\":\"m\",\"input\":\"hi\",\"temperature\":\"hot\"}", "'temperature' must be a number", "temperature")]
    public void Translate_BadRequest_RefusesWithTheReasonAndParameter(string body, string message, string? param)
    {
        var translation = ResponsesRequestTranslator.Translate(Encoding.UTF8.GetBytes(body), NoHistory);

        Assert.Null(translation.Request);
        Assert.Equal(400, translation.Status);
        Assert.Contains(message, translation.Message, StringComparison.Ordinal);
        Assert.Equal(param, translation.Param);
    }
}
