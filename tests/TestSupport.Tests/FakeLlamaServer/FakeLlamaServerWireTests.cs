using System.Net;
using LlamaAspire.TestSupport.Processes;
using static LlamaAspire.TestSupport.Tests.FakeLlamaServer.FakeServer;

namespace LlamaAspire.TestSupport.Tests.FakeLlamaServer;

/// <summary>The fake answers in llama-server's shapes (protocols.md §3), so code under test can't tell it apart on the wire.</summary>
public sealed class FakeLlamaServerWireTests
{
    [Fact]
    public async Task Health_Loaded_Answers200Ok()
    {
        using var dir = new TempDirectory("fake-health");
        await using (var server = await StartHealthyAsync(dir))
        {
            using var response = await Http.GetAsync(new Uri(server.BaseAddress, "health"), Ct);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("""{"status":"ok"}""", await response.Content.ReadAsStringAsync(Ct));
            Assert.Contains("llama.cpp", response.Headers.Server.ToString(), StringComparison.Ordinal);
        }
        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task Models_Alias_ReportsAliasAsId()
    {
        using var dir = new TempDirectory("fake-models");
        await using (var server = await StartHealthyAsync(dir, extraArguments: ["--alias", "tiny-chat", "-ngl", "-1", "--mlock", "-fa", "on"]))
        {
            var models = Parse(await Http.GetStringAsync(new Uri(server.BaseAddress, "v1/models"), Ct));

            Assert.Equal("list", models.GetProperty("object").GetString());
            Assert.Equal("tiny-chat", models.GetProperty("data")[0].GetProperty("id").GetString());
            Assert.Equal("tiny-chat", models.GetProperty("models")[0].GetProperty("name").GetString());
            Assert.Equal(512, models.GetProperty("data")[0].GetProperty("meta").GetProperty("n_ctx").GetInt32());   // -c 512 -np 1
        }
        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task Models_NoAlias_ReportsModelPathAsId()
    {
        using var dir = new TempDirectory("fake-noalias");
        await using (var server = await StartHealthyAsync(dir, extraArguments: []))
        {
            var models = Parse(await Http.GetStringAsync(new Uri(server.BaseAddress, "v1/models"), Ct));

            Assert.Equal(dir.Combine("fake.gguf"), models.GetProperty("data")[0].GetProperty("id").GetString());
        }
        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task ChatCompletions_NonStream_ReturnsTokensUsageAndTimings()
    {
        using var dir = new TempDirectory("fake-chat");
        await using (var server = await StartHealthyAsync(dir, new() { ["FAKE_LLAMA_TOKENS"] = "3" }))
        {
            using var response = await PostAsync(server, "v1/chat/completions", new { messages = new[] { new { role = "user", content = "hi" } } });
            var body = Parse(await response.Content.ReadAsStringAsync(Ct));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("chat.completion", body.GetProperty("object").GetString());
            Assert.Equal("fake-model", body.GetProperty("model").GetString());
            var choice = body.GetProperty("choices")[0];
            Assert.Equal("tok0 tok1 tok2 ", choice.GetProperty("message").GetProperty("content").GetString());
            Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
            Assert.Equal(3, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
            Assert.Equal(3, body.GetProperty("timings").GetProperty("predicted_n").GetInt32());
        }
        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task ChatCompletions_MaxTokensBelowTokens_StopsWithLength()
    {
        using var dir = new TempDirectory("fake-length");
        await using (var server = await StartHealthyAsync(dir, new() { ["FAKE_LLAMA_TOKENS"] = "10" }))
        {
            using var response = await PostAsync(server, "v1/chat/completions", new { messages = new[] { new { role = "user", content = "hi" } }, max_tokens = 2 });
            var choice = Parse(await response.Content.ReadAsStringAsync(Ct)).GetProperty("choices")[0];

            Assert.Equal("tok0 tok1 ", choice.GetProperty("message").GetProperty("content").GetString());
            Assert.Equal("length", choice.GetProperty("finish_reason").GetString());
        }
        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task ChatCompletions_NoMessages_Answers400()
    {
        using var dir = new TempDirectory("fake-400");
        await using (var server = await StartHealthyAsync(dir))
        {
            using var response = await PostAsync(server, "v1/chat/completions", new { model = "x" });
            var error = Parse(await response.Content.ReadAsStringAsync(Ct)).GetProperty("error");

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        }
        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task ChatCompletions_Stream_SendsRoleDeltasFinishTimingsAndDone()
    {
        using var dir = new TempDirectory("fake-chat-sse");
        await using (var server = await StartHealthyAsync(dir, new() { ["FAKE_LLAMA_TOKENS"] = "2" }))
        {
            using var response = await PostAsync(server, "v1/chat/completions", new { messages = new[] { new { role = "user", content = "hi" } }, stream = true });
            var events = await ReadEventsAsync(response);

            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(5, events.Count);
            Assert.Equal("assistant", Parse(events[0]).GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
            Assert.Equal("tok0 ", Parse(events[1]).GetProperty("choices")[0].GetProperty("delta").GetProperty("content").GetString());
            Assert.Equal("tok1 ", Parse(events[2]).GetProperty("choices")[0].GetProperty("delta").GetProperty("content").GetString());
            var last = Parse(events[3]);
            Assert.Equal("stop", last.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
            Assert.Equal(2, last.GetProperty("timings").GetProperty("predicted_n").GetInt32());
            Assert.Equal("[DONE]", events[4]);
        }
        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task ChatCompletions_StreamWithUsage_PutsTimingsOnUsageChunk()
    {
        using var dir = new TempDirectory("fake-chat-usage");
        await using (var server = await StartHealthyAsync(dir, new() { ["FAKE_LLAMA_TOKENS"] = "1" }))
        {
            using var response = await PostAsync(server, "v1/chat/completions",
                new { messages = new[] { new { role = "user", content = "hi" } }, stream = true, stream_options = new { include_usage = true } });
            var events = await ReadEventsAsync(response);

            var usage = Parse(events[^2]);
            Assert.Equal(0, usage.GetProperty("choices").GetArrayLength());
            Assert.Equal(1, usage.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
            Assert.True(usage.TryGetProperty("timings", out _));
            Assert.False(Parse(events[^3]).TryGetProperty("timings", out _));
            Assert.Equal("[DONE]", events[^1]);
        }
        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task Completion_NativeStream_EndsWithStopChunkAndNoDone()
    {
        using var dir = new TempDirectory("fake-native-sse");
        await using (var server = await StartHealthyAsync(dir, new() { ["FAKE_LLAMA_TOKENS"] = "2" }))
        {
            using var response = await PostAsync(server, "completion", new { prompt = "hi", stream = true });
            var events = await ReadEventsAsync(response);

            Assert.Equal(3, events.Count);
            Assert.False(Parse(events[0]).GetProperty("stop").GetBoolean());
            var final = Parse(events[2]);
            Assert.True(final.GetProperty("stop").GetBoolean());
            Assert.Equal(2, final.GetProperty("timings").GetProperty("predicted_n").GetInt32());
            Assert.DoesNotContain("[DONE]", events);
        }
        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task Completion_NativeNonStream_ReturnsContentAndStopType()
    {
        using var dir = new TempDirectory("fake-native");
        await using (var server = await StartHealthyAsync(dir, new() { ["FAKE_LLAMA_TOKENS"] = "5" }))
        {
            using var response = await PostAsync(server, "completion", new { prompt = "hi", n_predict = 2 });
            var body = Parse(await response.Content.ReadAsStringAsync(Ct));

            Assert.Equal("tok0 tok1 ", body.GetProperty("content").GetString());
            Assert.Equal("limit", body.GetProperty("stop_type").GetString());
            Assert.Equal(2, body.GetProperty("tokens_predicted").GetInt32());
        }
        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task Completions_OpenAiStream_SendsTextChunksTimingsAndDone()
    {
        using var dir = new TempDirectory("fake-oai-sse");
        await using (var server = await StartHealthyAsync(dir, new() { ["FAKE_LLAMA_TOKENS"] = "2" }))
        {
            using var response = await PostAsync(server, "v1/completions", new { prompt = "hi", stream = true });
            var events = await ReadEventsAsync(response);

            Assert.Equal(4, events.Count);
            Assert.Equal("tok0 ", Parse(events[0]).GetProperty("choices")[0].GetProperty("text").GetString());
            Assert.Equal("text_completion", Parse(events[0]).GetProperty("object").GetString());
            Assert.True(Parse(events[2]).TryGetProperty("timings", out _));
            Assert.Equal("[DONE]", events[3]);
        }
        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task UnknownRoute_Answers404NotFoundError()
    {
        using var dir = new TempDirectory("fake-404");
        await using (var server = await StartHealthyAsync(dir))
        {
            using var response = await Http.GetAsync(new Uri(server.BaseAddress, "nope"), Ct);

            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("not_found_error", Parse(await response.Content.ReadAsStringAsync(Ct)).GetProperty("error").GetProperty("type").GetString());
        }
        await ProcessAssert.NoneRunningAsync(dir.Path);
    }
}
