using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlamaAspire.Gateway.Forwarding;
using LlamaAspire.Gateway.LmStudio;

namespace LlamaAspire.Gateway.Tests;

/// <summary>LM Studio's REST v1 chat translators against golden files in LmStudio/: requests, event streams and bodies.</summary>
public sealed class LmStudioV1ChatTranslatorTests
{
    private static readonly JsonArray Earlier = new(
        new JsonObject { ["role"] = "user", ["content"] = "Hello?" },
        new JsonObject { ["role"] = "assistant", ["content"] = "Hi." });

    [Theory]
    [InlineData("v1chat-request-text")]
    [InlineData("v1chat-request-items")]
    [InlineData("v1chat-request-previous")]
    public void Translate_Request_GivesLlamaServerChatBody(string name)
    {
        var translation = LmStudioV1ChatRequestTranslator.Translate(LmStudioGolden.Read($"{name}.json"), id => id == "resp_earlier" ? Earlier.DeepClone().AsArray() : null);

        var request = Assert.IsType<ChatRequest>(translation.Request);
        LmStudioGolden.AssertJson($"{name}.llama.json", request.Body.ToJsonString());
    }

    [Fact]
    public void Translate_ItemsWithContextLength_CarriesModelStreamAndContextLength()
    {
        var request = LmStudioV1ChatRequestTranslator.Translate(LmStudioGolden.Read("v1chat-request-items.json"), _ => null).Request!;

        Assert.Equal("publisher/vision-model", request.Model);
        Assert.False(request.Stream);
        Assert.Equal(8192, request.ContextLength);
    }

    [Theory]
    [InlineData("{not json", null, "not valid JSON")]
    [InlineData("[1]", null, "JSON object")]
    [InlineData("""{"input":"hi"}""", "model", "'model' is required")]
    [InlineData("""{"model":"m"}""", "input", "'input' is required")]
    [InlineData("""{"model":"m","input":42}""", "input", "string or an array")]
    [InlineData("""{"model":"m","input":[]}""", "input", "must not be empty")]
    [InlineData("""{"model":"m","input":[{"type":"video","content":"x"}]}""", "input[0].type", "\"image\"")]
    [InlineData("""{"model":"m","input":[{"type":"image","data_url":"http://x/y.png"}]}""", "input[0].data_url", "data URL")]
    [InlineData("""{"model":"m","input":"hi","integrations":["mcp/playwright"]}""", "integrations", "not supported")]
    [InlineData("""{"model":"m","input":"hi","reasoning":"max"}""", "reasoning", "off, low, medium, high, on")]
    [InlineData("""{"model":"m","input":"hi","temperature":"hot"}""", "temperature", "must be a number")]
    [InlineData("""{"model":"m","input":"hi","max_output_tokens":0}""", "max_output_tokens", "positive whole number")]
    [InlineData("""{"model":"m","input":"hi","context_length":-1}""", "context_length", "positive whole number")]
    [InlineData("""{"model":"m","input":"hi","stream":"yes"}""", "stream", "true or false")]
    [InlineData("""{"model":"m","input":"hi","previous_response_id":"resp_gone"}""", "previous_response_id", "'resp_gone' not found")]
    public void Translate_BadRequest_RefusesWithParamAndReason(string body, string? param, string reason)
    {
        var translation = LmStudioV1ChatRequestTranslator.Translate(Encoding.UTF8.GetBytes(body), _ => null);

        Assert.Null(translation.Request);
        Assert.Equal(400, translation.Status);
        Assert.Equal(param, translation.Param);
        Assert.Contains(reason, translation.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("v1chat-stream", false)]
    [InlineData("v1chat-thinking", false)]
    [InlineData("v1chat-stream-loaded", true)]
    public void Answer_LlamaServerStream_GivesEventsAndBody(string name, bool loaded)
    {
        var source = name.Replace("-loaded", "", StringComparison.Ordinal);
        var stored = new List<(string Id, JsonArray Messages)>();
        var streamed = Translator(loaded, stored);
        var events = new List<byte[]>(streamed.Start());
        foreach (var payload in Payloads($"{source}.llama.sse"))
        {
            events.AddRange(streamed.Push(payload));
            if (streamed.IsLast) break;
        }
        Assert.True(streamed.IsComplete);
        events.AddRange(streamed.Finish());
        var aggregated = Translator(loaded, stored);
        foreach (var payload in Payloads($"{source}.llama.sse")) aggregated.Push(payload);

        var transcript = Transcript(events);
        LmStudioGolden.AssertSse($"{name}.v1.sse", transcript);
        LmStudioGolden.AssertJson($"{name}.v1.json", Encoding.UTF8.GetString(aggregated.Aggregate()));
        var (names, datas) = Parse(transcript);
        Assert.All(names.Zip(datas), p => Assert.Equal(p.First, p.Second["type"]!.GetValue<string>()));
        var result = datas[^1]["result"]!;
        var message = string.Concat(datas.Where(d => d["type"]!.GetValue<string>() == "message.delta").Select(d => d["content"]!.GetValue<string>()));
        Assert.Equal(message, result["output"]!.AsArray().Single(o => o!["type"]!.GetValue<string>() == "message")!["content"]!.GetValue<string>());
        Assert.Equal(2, stored.Count);
        Assert.Equal("assistant", stored[0].Messages[^1]!["role"]!.GetValue<string>());
        Assert.Equal(message, stored[0].Messages[^1]!["content"]!.GetValue<string>());
    }

    [Fact]
    public void Answer_LlamaServerError_EndsWithErrorThenChatEnd()
    {
        var translator = Translator(loaded: false, []);
        var events = new List<byte[]>(translator.Start());
        foreach (var payload in Payloads("v1chat-error.llama.sse"))
        {
            events.AddRange(translator.Push(payload));
            if (translator.IsLast) break;
        }
        Assert.Equal("context shift is disabled", translator.ErrorMessage);
        events.AddRange(translator.Fail(translator.ErrorMessage!));

        LmStudioGolden.AssertSse("v1chat-error.v1.sse", Transcript(events));
        var (names, _) = Parse(Transcript(events));
        Assert.Equal(["message.end", "error", "chat.end"], names[^3..]);
    }

    [Fact]
    public void Answer_StoreFalse_KeepsNothingAndGivesNoResponseId()
    {
        var stored = new List<(string Id, JsonArray Messages)>();
        var request = new ChatRequest("tiny-chat", false, new JsonObject { ["messages"] = new JsonArray() }, JsonDocument.Parse("""{"store":false}""").RootElement.Clone());
        var translator = new LmStudioV1ChatAnswerTranslator(request, "tiny-chat", null, p => $"{p}_1", (id, m) => stored.Add((id, m)));
        foreach (var payload in Payloads("v1chat-stream.llama.sse")) translator.Push(payload);

        var body = JsonNode.Parse(translator.Aggregate())!;

        Assert.Null(body["response_id"]);
        Assert.Empty(stored);
    }

    private static LmStudioV1ChatAnswerTranslator Translator(bool loaded, List<(string Id, JsonArray Messages)> stored)
    {
        var request = new ChatRequest("tiny-chat", true,
            new JsonObject { ["messages"] = new JsonArray(new JsonObject { ["role"] = "system", ["content"] = "Be brief." }, new JsonObject { ["role"] = "user", ["content"] = "Hi" }) },
            JsonDocument.Parse("""{"model":"tiny-chat","system_prompt":"Be brief.","input":"Hi"}""").RootElement.Clone());
        return new LmStudioV1ChatAnswerTranslator(request, "tiny-chat.gguf", loaded ? TimeSpan.FromMilliseconds(1234.5) : null, p => $"{p}_1", (id, m) => stored.Add((id, m)));
    }

    private static IEnumerable<byte[]> Payloads(string name) =>
        LmStudioGolden.ReadText(name).Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(e => e.Trim('\n'))
            .Where(e => e.StartsWith("data:", StringComparison.Ordinal))
            .Select(e => Encoding.UTF8.GetBytes(e["data:".Length..].TrimStart()));

    private static string Transcript(IEnumerable<byte[]> events) => string.Concat(events.Select(e => Encoding.UTF8.GetString(e)));

    /// <summary>Each event's name and data; an event that is not exactly "event:", "data:" and a blank line fails.</summary>
    private static (List<string> Names, List<JsonNode> Datas) Parse(string transcript)
    {
        Assert.EndsWith("\n\n", transcript, StringComparison.Ordinal);
        var names = new List<string>();
        var datas = new List<JsonNode>();
        foreach (var block in transcript[..^2].Split("\n\n"))
        {
            var lines = block.Split('\n');
            Assert.Equal(2, lines.Length);
            Assert.StartsWith("event: ", lines[0], StringComparison.Ordinal);
            Assert.StartsWith("data: ", lines[1], StringComparison.Ordinal);
            names.Add(lines[0]["event: ".Length..]);
            datas.Add(JsonNode.Parse(lines[1]["data: ".Length..])!);
        }
        return (names, datas);
    }
}
