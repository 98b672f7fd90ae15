using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlamaAspire.Gateway.Anthropic;
using LlamaAspire.Gateway.Forwarding;
using LlamaAspire.Gateway.Tests.Responses;

namespace LlamaAspire.Gateway.Tests.Anthropic;

public sealed class AnthropicAnswerTranslatorTests
{
    [Fact]
    public void Push_RealLlamaServerStream_GivesAnthropicsEventOrderWithMaxTokensStop()
    {
        // Captured from llama-server 3.22.1 with the tiny test model, max_tokens 6: finish_reason "length".
        var events = Stream("chat-stream.llama.sse", out var answer);

        TranslatorGolden.AssertEvents("chat-stream.anthropic.sse", events);
        Assert.True(answer.IsComplete);
        var parsed = TranslatorGolden.Parse(string.Concat(events.Select(e => Encoding.UTF8.GetString(e))));
        Assert.Equal(
            ["message_start", "content_block_start", "ping", .. Enumerable.Repeat("content_block_delta", 5), "content_block_stop", "message_delta", "message_stop"],
            parsed.Select(e => e.Name));
        Assert.All(parsed, e => Assert.Equal(e.Name, e.Data!["type"]!.GetValue<string>()));
    }

    [Fact]
    public void Aggregate_RealLlamaServerStream_GivesOneMessageWithUsage()
    {
        var answer = Translator(stream: false);
        foreach (var payload in TranslatorGolden.LlamaPayloads("chat-stream.llama.sse")) answer.Push(payload);

        TranslatorGolden.AssertJson("chat-stream.anthropic.json", JsonNode.Parse(answer.Aggregate()));
    }

    [Fact]
    public void Push_ToolCallsSplitAcrossDeltas_GivesToolUseBlocksWithInputJsonDeltas()
    {
        var events = Stream("chat-tools.llama.sse", out _);

        TranslatorGolden.AssertEvents("chat-tools.anthropic.sse", events);
    }

    [Fact]
    public void Aggregate_ToolCalls_GivesToolUseBlocksWithParsedInputAndToolUseStop()
    {
        var answer = Translator(stream: false);
        foreach (var payload in TranslatorGolden.LlamaPayloads("chat-tools.llama.sse")) answer.Push(payload);

        TranslatorGolden.AssertJson("chat-tools.anthropic.json", JsonNode.Parse(answer.Aggregate()));
    }

    [Fact]
    public void Push_ErrorEventMidStream_StopsAndEndsWithAnErrorEvent()
    {
        var answer = Translator(stream: true);
        var events = new List<byte[]>(answer.Start());
        foreach (var payload in TranslatorGolden.LlamaPayloads("chat-error.llama.sse")) events.AddRange(answer.Push(payload));

        Assert.True(answer.IsLast);
        Assert.Equal(("context shift is disabled", 500), (answer.ErrorMessage, answer.ErrorStatus));
        events.AddRange(answer.Fail(answer.ErrorMessage!));
        TranslatorGolden.AssertEvents("chat-error.anthropic.sse", events);
    }

    [Fact]
    public void Push_ReasoningContent_GivesThinkingBlockThenTextBlock()
    {
        // reasoning_content (llama-server's deepseek reasoning format) becomes a thinking block before the text block.
        var events = Stream("chat-thinking.llama.sse", out _);

        TranslatorGolden.AssertEvents("chat-thinking.anthropic.sse", events);
    }

    [Fact]
    public void Aggregate_ReasoningContent_GivesThinkingBlockThenTextBlock()
    {
        var answer = Translator(stream: false);
        foreach (var payload in TranslatorGolden.LlamaPayloads("chat-thinking.llama.sse")) answer.Push(payload);

        TranslatorGolden.AssertJson("chat-thinking.anthropic.json", JsonNode.Parse(answer.Aggregate()));
    }

    private static List<byte[]> Stream(string llamaTranscript, out AnthropicAnswerTranslator answer)
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

    private static AnthropicAnswerTranslator Translator(bool stream)
    {
        var original = JsonSerializer.SerializeToElement(new { model = "tiny-chat", max_tokens = 6, stream });
        return new AnthropicAnswerTranslator(new ChatRequest("tiny-chat", stream, [], original), new CountingIds().Next);
    }
}
