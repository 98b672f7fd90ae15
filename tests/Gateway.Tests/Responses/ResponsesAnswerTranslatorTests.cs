using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlamaAspire.Gateway.Forwarding;
using LlamaAspire.Gateway.Responses;

namespace LlamaAspire.Gateway.Tests.Responses;

public sealed class ResponsesAnswerTranslatorTests
{
    private static readonly DateTimeOffset Created = new(2026, 11, 22, 1, 2, 3, TimeSpan.Zero);

    [Fact]
    public void Push_RealLlamaServerStream_GivesResponsesEventsInOrderEndingIncompleteAtTheTokenLimit()
    {
        // Captured from llama-server 3.22.1 with the tiny test model, max_tokens 6: finish_reason "length".
        var events = Stream("chat-stream.llama.sse", out var answer);

        TranslatorGolden.AssertEvents("chat-stream.responses.sse", events);
        Assert.True(answer.IsComplete);
        var parsed = TranslatorGolden.Parse(string.Concat(events.Select(e => Encoding.UTF8.GetString(e))));
        Assert.Equal(Enumerable.Range(0, parsed.Count), parsed.Select(e => e.Data!["sequence_number"]!.GetValue<int>()));
        var deltas = string.Concat(parsed.Where(e => e.Name == "response.output_text.delta").Select(e => e.Data!["delta"]!.GetValue<string>()));
        Assert.Equal(deltas, parsed.Single(e => e.Name == "response.output_text.done").Data!["text"]!.GetValue<string>());
    }

    [Fact]
    public void Aggregate_RealLlamaServerStream_GivesOneResponseObjectWithUsage()
    {
        var answer = Translator(stream: false);
        foreach (var payload in TranslatorGolden.LlamaPayloads("chat-stream.llama.sse")) answer.Push(payload);

        TranslatorGolden.AssertJson("chat-stream.responses.json", JsonNode.Parse(answer.Aggregate()));
    }

    [Fact]
    public void Push_ToolCallsSplitAcrossDeltas_GivesFunctionCallItemsWithArgumentDeltas()
    {
        var events = Stream("chat-tools.llama.sse", out _);

        TranslatorGolden.AssertEvents("chat-tools.responses.sse", events);
    }

    [Fact]
    public void Aggregate_ToolCalls_GivesFunctionCallItemsWithWholeArguments()
    {
        var answer = Translator(stream: false);
        foreach (var payload in TranslatorGolden.LlamaPayloads("chat-tools.llama.sse")) answer.Push(payload);

        TranslatorGolden.AssertJson("chat-tools.responses.json", JsonNode.Parse(answer.Aggregate()));
    }

    [Fact]
    public void Push_ErrorEventMidStream_StopsAndFailsTheResponse()
    {
        var answer = Translator(stream: true);
        var events = new List<byte[]>(answer.Start());
        foreach (var payload in TranslatorGolden.LlamaPayloads("chat-error.llama.sse")) events.AddRange(answer.Push(payload));

        Assert.True(answer.IsLast);
        Assert.Equal(("context shift is disabled", 500), (answer.ErrorMessage, answer.ErrorStatus));
        events.AddRange(answer.Fail(answer.ErrorMessage!));
        TranslatorGolden.AssertEvents("chat-error.responses.sse", events);
    }

    [Fact]
    public void Finish_StoredRequest_KeepsTheConversationWithoutInstructionsAndWithTheAnswersToolCalls()
    {
        var original = JsonSerializer.SerializeToElement(new { model = "qwen3:4b", instructions = "Be terse.", input = "Weather?", stream = true });
        var body = new JsonObject
        {
            ["messages"] = new JsonArray(
                new JsonObject { ["role"] = "system", ["content"] = "Be terse." },
                new JsonObject { ["role"] = "user", ["content"] = "Weather?" }),
        };
        var kept = new List<(string Id, JsonArray Messages)>();
        var answer = new ResponsesAnswerTranslator(new ChatRequest("qwen3:4b", true, body, original), new CountingIds().Next, Created, (id, m) => kept.Add((id, m)));
        foreach (var payload in TranslatorGolden.LlamaPayloads("chat-tools.llama.sse")) answer.Push(payload);

        var final = TranslatorGolden.Parse(Encoding.UTF8.GetString(answer.Finish()[^1]))[0].Data!["response"]!;

        var (id, messages) = Assert.Single(kept);
        Assert.Equal(final["id"]!.GetValue<string>(), id);
        Assert.True(final["store"]!.GetValue<bool>());
        TranslatorGolden.AssertJson("chat-tools.stored.json", messages);
    }

    [Fact]
    public void Aggregate_StoreFalse_KeepsNothing()
    {
        var original = JsonSerializer.SerializeToElement(new { model = "tiny-chat", input = "Hello", store = false });
        var kept = 0;
        var answer = new ResponsesAnswerTranslator(new ChatRequest("tiny-chat", false, [], original), new CountingIds().Next, Created, (_, _) => kept++);
        foreach (var payload in TranslatorGolden.LlamaPayloads("chat-stream.llama.sse")) answer.Push(payload);

        var response = JsonNode.Parse(answer.Aggregate())!;

        Assert.Equal(0, kept);
        Assert.False(response["store"]!.GetValue<bool>());
    }

    [Fact]
    public void Push_ReasoningContent_GivesReasoningItemThenMessage()
    {
        // reasoning_content (llama-server's deepseek reasoning format) becomes a reasoning item before the message.
        var events = Stream("chat-thinking.llama.sse", out _);

        TranslatorGolden.AssertEvents("chat-thinking.responses.sse", events);
    }

    [Fact]
    public void Aggregate_ReasoningContent_GivesReasoningItemThenMessage()
    {
        var answer = Translator(stream: false);
        foreach (var payload in TranslatorGolden.LlamaPayloads("chat-thinking.llama.sse")) answer.Push(payload);

        TranslatorGolden.AssertJson("chat-thinking.responses.json", JsonNode.Parse(answer.Aggregate()));
    }

    private static List<byte[]> Stream(string llamaTranscript, out ResponsesAnswerTranslator answer)
    {
        answer = Translator(stream: true);
        var events = new List<byte[]>(answer.Start());
        foreach (var payload in TranslatorGolden.LlamaPayloads(llamaTranscript))
        {
            events.AddRange(answer.Push(payload));
            if (answer.IsLast) break;
        }
        Assert.True(answer.IsLast);
        events.AddRange(answer.Finish());
        return events;
    }

    private static ResponsesAnswerTranslator Translator(bool stream)
    {
        var original = JsonSerializer.SerializeToElement(new { model = "tiny-chat", input = "Hello", max_output_tokens = 6, stream });
        return new ResponsesAnswerTranslator(new ChatRequest("tiny-chat", stream, [], original), new CountingIds().Next, Created);
    }
}
