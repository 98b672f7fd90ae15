using System.Text;
using System.Text.Json;
using LlamaAspire.Gateway.Ollama;

namespace LlamaAspire.Gateway.Tests.Ollama;

public sealed class OllamaAnswerTranslatorTests
{
    private static readonly TimeSpan Total = TimeSpan.FromMilliseconds(1234.5678);
    private static readonly TimeSpan Load = TimeSpan.FromMilliseconds(12.5);

    [Fact]
    public void Push_RealLlamaServerChatStream_GivesContentLinesThenTimedFinal()
    {
        // Captured from llama-server 3.22.1 with the tiny test model (stream_options.include_usage, max_tokens 6).
        var lines = Stream(OllamaAnswerKind.Chat, "tiny-chat:latest", "chat-stream.llama.sse", out var answer);

        Golden.AssertNdjson("chat-stream.ollama.ndjson", lines);
        Assert.True(answer.IsComplete);
        Assert.Null(answer.ErrorMessage);
    }

    [Fact]
    public void Finish_RealLlamaServerChatStreamAggregated_GivesOneObject()
    {
        var lines = Stream(OllamaAnswerKind.Chat, "tiny-chat:latest", "chat-stream.llama.sse", out _, aggregate: true);

        Assert.Single(lines);
        Assert.NotEqual((byte)'\n', lines[0][^1]);
        Golden.AssertJson("chat-stream.ollama-aggregated.json", lines[0]);
    }

    [Fact]
    public void Push_ToolCallSplitAcrossDeltas_EmitsEachCallWholeWithObjectArguments()
    {
        var lines = Stream(OllamaAnswerKind.Chat, "qwen3:4b", "chat-tools.llama.sse", out _);

        Golden.AssertNdjson("chat-tools.ollama.ndjson", lines);
    }

    [Fact]
    public void Finish_ToolCallsAggregated_CollectsCallsAndKeepsStop()
    {
        var lines = Stream(OllamaAnswerKind.Chat, "qwen3:4b", "chat-tools.llama.sse", out _, aggregate: true);

        Golden.AssertJson("chat-tools.ollama-aggregated.json", lines.Single());
    }

    [Fact]
    public void Push_ReasoningContent_BecomesThinking()
    {
        var lines = Stream(OllamaAnswerKind.Chat, "qwen3:4b", "chat-thinking.llama.sse", out _);

        Golden.AssertNdjson("chat-thinking.ollama.ndjson", lines);
    }

    [Fact]
    public void Finish_GenerateAggregated_ConcatenatesResponseAndThinking()
    {
        var lines = Stream(OllamaAnswerKind.Generate, "qwen3:4b", "chat-thinking.llama.sse", out _, aggregate: true);

        Golden.AssertJson("generate-thinking.ollama-aggregated.json", lines.Single());
    }

    [Fact]
    public void Push_RealChatStreamAsGenerate_UsesResponseField()
    {
        var lines = Stream(OllamaAnswerKind.Generate, "tiny-chat", "chat-stream.llama.sse", out _);

        Golden.AssertNdjson("generate-stream.ollama.ndjson", lines);
    }

    [Fact]
    public void Push_NativeCompletionStream_EndsAtStopWithLengthReason()
    {
        // Captured from llama-server 3.22.1: POST /completion, n_predict 3, streamed (no [DONE] at the end).
        var lines = Stream(OllamaAnswerKind.Generate, "llama3.2", "generate-raw.llama.sse", out var answer);

        Assert.True(answer.IsComplete);
        Golden.AssertNdjson("generate-raw.ollama.ndjson", lines);
    }

    [Fact]
    public void Push_ErrorMidStream_EndsWithErrorLineAndNoDone()
    {
        var answer = new OllamaAnswerTranslator(OllamaAnswerKind.Chat, "llama3.2", aggregate: false, new FixedTime());
        var lines = Golden.SsePayloads("chat-error.llama.sse").SelectMany(p => answer.Push(p)).ToList();

        Golden.AssertNdjson("chat-error.ollama.ndjson", lines);
        Assert.False(answer.IsComplete);
        Assert.Equal("context shift is disabled", answer.ErrorMessage);
        Assert.Equal(500, answer.ErrorCode);
        Assert.Empty(answer.Push("data: [DONE]"u8));
    }

    [Fact]
    public void Push_ErrorWhileAggregating_WritesNothingAndReportsError()
    {
        var answer = new OllamaAnswerTranslator(OllamaAnswerKind.Chat, "llama3.2", aggregate: true, new FixedTime());

        var lines = Golden.SsePayloads("chat-error.llama.sse").SelectMany(p => answer.Push(p)).ToList();

        Assert.Empty(lines);
        Assert.Equal(new OllamaError(500, "context shift is disabled"), answer.Error);
    }

    [Fact]
    public void Push_InvalidToolArguments_PassedOnAsString()
    {
        var answer = new OllamaAnswerTranslator(OllamaAnswerKind.Chat, "m", aggregate: true, new FixedTime());
        answer.Push("""{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"c1","type":"function","function":{"name":"f","arguments":"{oops"}}]},"finish_reason":null}]}"""u8);
        answer.Push("""{"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}"""u8);
        answer.Push("[DONE]"u8);

        using var final = JsonDocument.Parse(answer.Finish(Total, Load));

        var function = final.RootElement.GetProperty("message").GetProperty("tool_calls")[0].GetProperty("function");
        Assert.Equal("{oops", function.GetProperty("arguments").GetString());
        Assert.Equal("stop", final.RootElement.GetProperty("done_reason").GetString());
    }

    [Fact]
    public void Push_ToolCallWithoutId_GetsOllamaStyleId()
    {
        var answer = new OllamaAnswerTranslator(OllamaAnswerKind.Chat, "m", aggregate: false, new FixedTime());

        var lines = answer.Push("""{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"name":"f","arguments":"{}"}}]},"finish_reason":"tool_calls"}]}"""u8);

        using var line = JsonDocument.Parse(lines.Single());
        Assert.Matches("^call_[a-z0-9]{8}$", line.RootElement.GetProperty("message").GetProperty("tool_calls")[0].GetProperty("id").GetString());
    }

    [Fact]
    public void Finish_NoTimings_OmitsZeroMetricsButKeepsDurations()
    {
        var answer = new OllamaAnswerTranslator(OllamaAnswerKind.Chat, "m", aggregate: false, new FixedTime());
        answer.Push("[DONE]"u8);

        var final = Encoding.UTF8.GetString(answer.Finish(TimeSpan.Zero, TimeSpan.Zero));

        Assert.Equal("""{"model":"m","created_at":"2026-11-22T01:02:03.123456Z","message":{"role":"assistant","content":""},"done_reason":"stop","done":true,"total_duration":1,"load_duration":1}""" + "\n", final);
    }

    private static List<byte[]> Stream(OllamaAnswerKind kind, string model, string fixture, out OllamaAnswerTranslator answer, bool aggregate = false)
    {
        answer = new OllamaAnswerTranslator(kind, model, aggregate, new FixedTime());
        var lines = new List<byte[]>();
        foreach (var payload in Golden.SsePayloads(fixture)) lines.AddRange(answer.Push(payload));
        lines.Add(answer.Finish(Total, Load));
        return lines;
    }
}
