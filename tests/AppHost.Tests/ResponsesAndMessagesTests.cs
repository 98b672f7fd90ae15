using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LlamaAspire.AppHost.Hosting.Testing;

namespace LlamaAspire.AppHost.Tests;

/// <summary>
/// The OpenAI Responses API (POST /v1/responses) and the Anthropic Messages API (POST /v1/messages) through the whole
/// application, on the LM Studio port and the OpenAI port, with a real llama-server behind: raw HTTP, so the exact
/// event order and shapes are what is checked.
/// </summary>
public sealed class ResponsesAndMessagesTests(StackFixture stack) : IClassFixture<StackFixture>
{
    // The generating requests sample hot and flat (temperature 2, no top-k/top-p cut): the tiny model's random
    // weights then rarely pick end-of-text, so each answer has text to check.

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("lmstudio")]
    [InlineData("openai")]
    public async Task Responses_NonStream_AnswersOneResponseObjectWithTextAndUsage(string port)
    {
        using var client = stack.App.CreateHttpClient("gateway", port);

        using var response = await client.PostAsJsonAsync("/v1/responses", new { model = "tiny-chat", instructions = "Be brief.", input = "Hello, tiny model!", max_output_tokens = 8, temperature = 2, top_p = 1 }, Ct);

        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        Assert.StartsWith("resp_", body.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal(("response", "tiny-chat"), (body.GetProperty("object").GetString(), body.GetProperty("model").GetString()));
        var usage = body.GetProperty("usage");
        var outputTokens = usage.GetProperty("output_tokens").GetInt32();
        Assert.InRange(outputTokens, 1, 8);
        Assert.True(usage.GetProperty("input_tokens").GetInt32() > 0);
        Assert.Equal(usage.GetProperty("input_tokens").GetInt32() + outputTokens, usage.GetProperty("total_tokens").GetInt32());
        // The token limit cut the turn, or the model ended it (end-of-text may be the 8th token).
        var status = body.GetProperty("status").GetString();
        Assert.Contains(status, (string[])["completed", "incomplete"]);
        if (status == "incomplete") Assert.Equal(8, outputTokens);
        var message = Assert.Single(body.GetProperty("output").EnumerateArray());
        Assert.Equal(("message", "assistant"), (message.GetProperty("type").GetString(), message.GetProperty("role").GetString()));
        var part = Assert.Single(message.GetProperty("content").EnumerateArray());
        Assert.Equal("output_text", part.GetProperty("type").GetString());
        // The tiny model may pick end-of-text first; a turn the limit cut has text.
        if (status == "incomplete") Assert.False(string.IsNullOrEmpty(part.GetProperty("text").GetString()));
        else Assert.NotNull(part.GetProperty("text").GetString());
        await AssertNothingInFlightAsync("tiny-chat");
    }

    [Theory]
    [InlineData("lmstudio")]
    [InlineData("openai")]
    public async Task Responses_Stream_SendsTheEventsInOrderAndTheDeltasMakeTheFinalText(string port)
    {
        using var client = stack.App.CreateHttpClient("gateway", port);
        using var request = Post("/v1/responses", new { model = "tiny-chat", input = new[] { new { role = "user", content = new[] { new { type = "input_text", text = "Hello!" } } } }, max_output_tokens = 24, temperature = 2, top_p = 1, stream = true });

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = await ReadEventsAsync(response);
        var names = events.Select(e => e.Name).ToList();
        var deltas = names.Count(n => n == "response.output_text.delta");
        // The tiny model may pick end-of-text first (no deltas then); a turn the limit cut has some.
        Assert.True(deltas > 0 || names[^1] == "response.completed", string.Join(", ", names));
        string[] expected =
        [
            "response.created", "response.in_progress", "response.output_item.added", "response.content_part.added",
            .. Enumerable.Repeat("response.output_text.delta", deltas),
            "response.output_text.done", "response.content_part.done", "response.output_item.done", names[^1],
        ];
        Assert.Equal(expected, names);
        Assert.Contains(names[^1], (string[])["response.completed", "response.incomplete"]);
        Assert.All(events, e => Assert.Equal(e.Name, e.Data.GetProperty("type").GetString()));
        Assert.Equal(Enumerable.Range(0, events.Count), events.Select(e => e.Data.GetProperty("sequence_number").GetInt32()));

        var text = string.Concat(events.Where(e => e.Name == "response.output_text.delta").Select(e => e.Data.GetProperty("delta").GetString()));
        Assert.Equal(text, events.Single(e => e.Name == "response.output_text.done").Data.GetProperty("text").GetString());
        var final = events[^1].Data.GetProperty("response");
        Assert.Equal(text, final.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal("tiny-chat", final.GetProperty("model").GetString());
        Assert.True(final.GetProperty("usage").GetProperty("output_tokens").GetInt32() > 0);
        await AssertNothingInFlightAsync("tiny-chat");
    }

    [Fact]
    public async Task Responses_PreviousResponseId_ContinuesTheStoredConversation()
    {
        using var client = stack.App.CreateHttpClient("gateway", "lmstudio");
        using var first = await client.PostAsJsonAsync("/v1/responses", new { model = "tiny-chat", input = "Hello!", max_output_tokens = 4, temperature = 2, top_p = 1 }, Ct);
        var firstBody = await first.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(first.StatusCode == HttpStatusCode.OK, firstBody.ToString());
        var firstId = firstBody.GetProperty("id").GetString();

        using var second = await client.PostAsJsonAsync("/v1/responses", new { model = "tiny-chat", previous_response_id = firstId, input = "And then?", max_output_tokens = 4, temperature = 2, top_p = 1 }, Ct);

        var secondBody = await second.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(second.StatusCode == HttpStatusCode.OK, secondBody.ToString());
        Assert.Equal(firstId, secondBody.GetProperty("previous_response_id").GetString());
        // The earlier turn and its answer were sent again: the prompt grew by more than the new input.
        var firstPrompt = firstBody.GetProperty("usage").GetProperty("input_tokens").GetInt32();
        var secondPrompt = secondBody.GetProperty("usage").GetProperty("input_tokens").GetInt32();
        Assert.True(secondPrompt > firstPrompt + "And then?".Length, $"{firstPrompt} then {secondPrompt} prompt tokens");
    }

    [Theory]
    [InlineData("lmstudio")]
    [InlineData("openai")]
    public async Task Messages_NonStream_AnswersOneMessageWithTextStopReasonAndUsage(string port)
    {
        using var client = stack.App.CreateHttpClient("gateway", port);
        using var request = Post("/v1/messages", new { model = "tiny-chat", max_tokens = 8, temperature = 2, top_k = 0, system = "Be brief.", messages = new[] { new { role = "user", content = "Hello, tiny model!" } } });

        using var response = await client.SendAsync(request, Ct);

        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        Assert.StartsWith("msg_", body.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal(("message", "assistant", "tiny-chat"), (body.GetProperty("type").GetString(), body.GetProperty("role").GetString(), body.GetProperty("model").GetString()));
        var outputTokens = body.GetProperty("usage").GetProperty("output_tokens").GetInt32();
        Assert.InRange(outputTokens, 1, 8);
        Assert.True(body.GetProperty("usage").GetProperty("input_tokens").GetInt32() > 0);
        var stopReason = body.GetProperty("stop_reason").GetString();
        Assert.Contains(stopReason, (string[])["end_turn", "max_tokens"]);
        if (stopReason == "max_tokens") Assert.Equal(8, outputTokens);
        var block = Assert.Single(body.GetProperty("content").EnumerateArray());
        Assert.Equal("text", block.GetProperty("type").GetString());
        if (stopReason == "max_tokens") Assert.False(string.IsNullOrEmpty(block.GetProperty("text").GetString()));
        else Assert.NotNull(block.GetProperty("text").GetString());
        await AssertNothingInFlightAsync("tiny-chat");
    }

    [Theory]
    [InlineData("lmstudio")]
    [InlineData("openai")]
    public async Task Messages_Stream_SendsAnthropicsEventOrderAndTheDeltasMakeTheText(string port)
    {
        using var client = stack.App.CreateHttpClient("gateway", port);
        using var request = Post("/v1/messages", new
        {
            model = "tiny-chat", max_tokens = 24, temperature = 2, top_k = 0, stream = true,
            messages = new[] { new { role = "user", content = new[] { new { type = "text", text = "Hello!" } } } },
        });

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = await ReadEventsAsync(response);
        var names = events.Select(e => e.Name).ToList();
        var deltas = names.Count(n => n == "content_block_delta");
        Assert.Equal(
            ["message_start", "content_block_start", "ping", .. Enumerable.Repeat("content_block_delta", deltas), "content_block_stop", "message_delta", "message_stop"],
            names);
        Assert.All(events, e => Assert.Equal(e.Name, e.Data.GetProperty("type").GetString()));
        Assert.Equal("tiny-chat", events[0].Data.GetProperty("message").GetProperty("model").GetString());
        Assert.All(events.Where(e => e.Name == "content_block_delta"), e => Assert.Equal("text_delta", e.Data.GetProperty("delta").GetProperty("type").GetString()));
        var text = string.Concat(events.Where(e => e.Name == "content_block_delta").Select(e => e.Data.GetProperty("delta").GetProperty("text").GetString()));
        var delta = events.Single(e => e.Name == "message_delta").Data;
        var outputTokens = delta.GetProperty("usage").GetProperty("output_tokens").GetInt32();
        Assert.InRange(outputTokens, 1, 24);
        var stopReason = delta.GetProperty("delta").GetProperty("stop_reason").GetString();
        Assert.Contains(stopReason, (string[])["end_turn", "max_tokens"]);
        if (stopReason == "max_tokens") Assert.Equal(24, outputTokens);
        // The tiny model may pick end-of-text first (no deltas then); a turn the limit cut has text.
        if (stopReason == "max_tokens") Assert.False(string.IsNullOrEmpty(text));
        await AssertNothingInFlightAsync("tiny-chat");
    }

    [Theory]
    [InlineData("lmstudio")]
    [InlineData("openai")]
    public async Task Responses_UnknownModel_Answers404InOpenAisEnvelope(string port)
    {
        using var client = stack.App.CreateHttpClient("gateway", port);

        using var response = await client.PostAsJsonAsync("/v1/responses", new { model = "no-such-model", input = "hi", stream = true }, Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("error");
        Assert.Equal(("model_not_found", "invalid_request_error", "model"),
            (error.GetProperty("code").GetString(), error.GetProperty("type").GetString(), error.GetProperty("param").GetString()));
        Assert.Contains("no-such-model", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("lmstudio")]
    [InlineData("openai")]
    public async Task Messages_UnknownModel_Answers404InAnthropicsShape(string port)
    {
        using var client = stack.App.CreateHttpClient("gateway", port);

        using var response = await client.SendAsync(Post("/v1/messages", new { model = "no-such-model", max_tokens = 4, messages = new[] { new { role = "user", content = "hi" } } }), Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("error", body.GetProperty("type").GetString());
        Assert.Equal("not_found_error", body.GetProperty("error").GetProperty("type").GetString());
        Assert.Contains("no-such-model", body.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("lmstudio", "/v1/responses", "{\"model\":", "could not parse the JSON body")]
    [InlineData("openai", "/v1/responses", "{\"model\":", "could not parse the JSON body")]
    [InlineData("openai", "/v1/responses", "{\"model\":\"tiny-chat\",\"input\":\"hi\",\"previous_response_id\":\"resp_unknown\"}", "Previous response with id 'resp_unknown' not found.")]
    [InlineData("lmstudio", "/v1/messages", "{\"model\":", "not valid JSON")]
    [InlineData("openai", "/v1/messages", "{\"model\":", "not valid JSON")]
    [InlineData("openai", "/v1/messages", "{\"model\":\"tiny-chat\",\"messages\":[]}", "max_tokens: Field required")]
    public async Task Post_BadBody_Answers400InTheDialectsShape(string port, string path, string body, string expected)
    {
        using var client = stack.App.CreateHttpClient("gateway", port);

        using var response = await client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        if (path == "/v1/messages")
        {
            Assert.Equal(("error", "invalid_request_error"), (answer.GetProperty("type").GetString(), answer.GetProperty("error").GetProperty("type").GetString()));
        }
        else
        {
            Assert.Equal("invalid_request_error", answer.GetProperty("error").GetProperty("type").GetString());
        }
        Assert.Contains(expected, answer.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/v1/responses")]
    [InlineData("/v1/messages")]
    public async Task Post_BodyOverTheLimit_Answers413InTheDialectsShape(string path)
    {
        using var client = stack.App.CreateHttpClient("gateway", "openai");
        var huge = new string('x', (int)StackFixture.MaxRequestBodyBytes);

        using var response = await client.SendAsync(Post(path, new { model = "tiny-chat", max_tokens = 4, input = huge }), Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("error");
        Assert.Equal("request_too_large", error.GetProperty(path == "/v1/messages" ? "type" : "code").GetString());
    }

    [Theory]
    [InlineData("/v1/responses")]
    [InlineData("/v1/messages")]
    public async Task Post_PromptLongerThanTheContext_AnswersLlamaServersReasonAs400InTheDialectsShape(string path)
    {
        using var client = stack.App.CreateHttpClient("gateway", "lmstudio");
        var longText = string.Join(' ', Enumerable.Repeat("word", 30_000));
        object body = path == "/v1/responses"
            ? new { model = "tiny-chat", input = longText, max_output_tokens = 4 }
            : new { model = "tiny-chat", max_tokens = 4, messages = new[] { new { role = "user", content = longText } } };

        using var response = await client.SendAsync(Post(path, body), Ct);

        var answer = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, answer.ToString());
        Assert.Equal("invalid_request_error", answer.GetProperty("error").GetProperty("type").GetString());
        Assert.Contains("context", answer.GetProperty("error").GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
        await AssertNothingInFlightAsync("tiny-chat");
    }

    [Theory]
    [InlineData("lmstudio", "/v1/responses")]
    [InlineData("openai", "/v1/responses")]
    [InlineData("lmstudio", "/v1/messages")]
    [InlineData("openai", "/v1/messages")]
    public async Task Post_ClientGoesAwayMidStream_ReleasesTheLeaseAndStopsTheGeneration(string port, string path)
    {
        using var gateway = stack.App.CreateHttpClient("gateway", port);
        // No draining: disposing a half-read response must close the connection, as a client that aborts does.
        using var client = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = gateway.BaseAddress };
        // A hot, flat sampling keeps the tiny model's random weights from picking end-of-text early; when it still
        // does before the client has left, the attempt proves nothing and is made again.
        object body = path == "/v1/responses"
            ? new { model = "tiny-chat", input = "Hello", max_output_tokens = 200_000, temperature = 2, top_p = 1, stream = true }
            : new { model = "tiny-chat", max_tokens = 200_000, temperature = 2, top_p = 1, top_k = 0, stream = true, messages = new[] { new { role = "user", content = "Hello" } } };
        var leftMidStream = false;
        for (var attempt = 0; attempt < 10 && !leftMidStream; attempt++)
        {
            using var request = Post(path, body);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));
            var deltas = 0;
            while (deltas < 5 && await reader.ReadLineAsync(Ct) is { } line)
                if (line is "event: response.output_text.delta" or "event: content_block_delta") deltas++;
            leftMidStream = deltas == 5 && (await RunnerAsync("tiny-chat")).GetProperty("inFlight").GetInt32() == 1;
            if (!leftMidStream) await AssertNothingInFlightAsync("tiny-chat");
        }
        Assert.True(leftMidStream, "the model ended every generation before the client could leave");

        var endpoint = (await RunnerAsync("tiny-chat")).GetProperty("endpoint").GetString()!;
        using var llama = new HttpClient { BaseAddress = new Uri(endpoint) };
        Assert.True(await WaitAsync(async () =>
            (await llama.GetFromJsonAsync<JsonElement>("/slots", Ct)).EnumerateArray().All(s => !s.GetProperty("is_processing").GetBoolean())),
            "llama-server kept generating for a client that left");
        await AssertNothingInFlightAsync("tiny-chat");
    }

    /// <summary>A POST carrying the keys Anthropic and OpenAI clients send; neither is checked.</summary>
    private static HttpRequestMessage Post(string path, object body) => new(HttpMethod.Post, path)
    {
        Content = JsonContent.Create(body),
        Headers = { { "x-api-key", "sk-test" }, { "anthropic-version", "2023-06-01" }, { "Authorization", "Bearer sk-test" } },
    };

    /// <summary>Every event of the stream, each exactly "event: name", "data: json", blank line.</summary>
    private static async Task<List<(string Name, JsonElement Data)>> ReadEventsAsync(HttpResponseMessage response)
    {
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));
        var events = new List<(string, JsonElement)>();
        while (await reader.ReadLineAsync(Ct) is { } line)
        {
            Assert.StartsWith("event: ", line, StringComparison.Ordinal);
            var data = await reader.ReadLineAsync(Ct);
            Assert.NotNull(data);
            Assert.StartsWith("data: ", data, StringComparison.Ordinal);
            Assert.Equal("", await reader.ReadLineAsync(Ct));
            events.Add((line["event: ".Length..], JsonDocument.Parse(data["data: ".Length..]).RootElement.Clone()));
        }
        return events;
    }

    private async Task<JsonElement> RunnerAsync(string model)
    {
        using var agent = stack.App.CreateHttpClient("runneragent");
        return (await agent.GetFromJsonAsync<JsonElement>("/runners", Ct)).EnumerateArray().Single(r => r.GetProperty("model").GetString() == model);
    }

    private async Task AssertNothingInFlightAsync(string model) =>
        Assert.True(await WaitAsync(async () => (await RunnerAsync(model)).GetProperty("inFlight").GetInt32() == 0), "the lease was not released");

    private static async Task<bool> WaitAsync(Func<Task<bool>> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(10)) return false;
            await Task.Delay(20, Ct);
        }
        return true;
    }
}
