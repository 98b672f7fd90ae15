using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlamaAspire.AppHost.Hosting.Testing;

namespace LlamaAspire.AppHost.Tests;

/// <summary>
/// LM Studio's REST v1 chat (POST /api/v1/chat) end to end, over raw HTTP against the whole application and real
/// llama-servers: the non-stream body, the named event stream in order, input items, system_prompt,
/// previous_response_id, the load stats of a model the request loaded, errors in LM Studio's envelope, client aborts.
/// </summary>
public sealed class LmStudioV1ChatTests(LmStudioStackFixture stack) : IClassFixture<LmStudioStackFixture>
{
    private const string Chat = LmStudioStackFixture.Chat;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // Hot, flat sampling (temperature 2, top_k 0) keeps the tiny model's random weights from ending the text at once.
    [Fact]
    public async Task Chat_NonStream_AnswersOutputStatsAndResponseId()
    {
        using var lmStudio = LmStudio();

        using var response = await lmStudio.PostAsJsonAsync("/api/v1/chat", new { model = Chat, input = "Hello, tiny model!", max_output_tokens = 8, temperature = 2, top_p = 1, top_k = 0 }, Ct);

        var body = await JsonAsync(response, HttpStatusCode.OK);
        Assert.Equal(Chat, body["model_instance_id"]!.GetValue<string>());
        var output = Assert.Single(body["output"]!.AsArray());
        Assert.Equal("message", output!["type"]!.GetValue<string>());
        Assert.Equal(JsonValueKind.String, output["content"]!.GetValueKind());
        var stats = body["stats"]!;
        Assert.True(stats["input_tokens"]!.GetValue<long>() > 0);
        Assert.InRange(stats["total_output_tokens"]!.GetValue<long>(), 1, 8);
        Assert.Equal(0, stats["reasoning_output_tokens"]!.GetValue<long>());
        Assert.True(stats["tokens_per_second"]!.GetValue<double>() > 0);
        Assert.True(stats["time_to_first_token_seconds"]!.GetValue<double>() >= 0);
        Assert.StartsWith("resp_", body["response_id"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_Stream_SendsLmStudiosEventsInOrderAndTheDeltasMakeTheResult()
    {
        using var lmStudio = LmStudio();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/chat")
        {
            Content = JsonContent.Create(new { model = Chat, input = "Hello, tiny model!", max_output_tokens = 16, temperature = 2, top_p = 1, top_k = 0, stream = true }),
        };

        using var response = await lmStudio.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = await ReadEventsAsync(response);
        Assert.All(events, e => Assert.Equal(e.Name, e.Data["type"]!.GetValue<string>()));
        var names = events.Select(e => e.Name).ToList();
        var deltas = names.Count(n => n == "message.delta");
        Assert.True(deltas > 0, string.Join(", ", names));
        // The model was loaded by an earlier test or this one: model_load events may come, right after chat.start.
        var load = names.Contains("model_load.start") ? (string[])["model_load.start", "model_load.end"] : [];
        string[] expected = ["chat.start", .. load, "prompt_processing.start", "prompt_processing.end", "message.start",
            .. Enumerable.Repeat("message.delta", deltas), "message.end", "chat.end"];
        Assert.Equal(expected, names);
        Assert.Equal(Chat, events[0].Data["model_instance_id"]!.GetValue<string>());
        var text = string.Concat(events.Where(e => e.Name == "message.delta").Select(e => e.Data["content"]!.GetValue<string>()));
        var result = events[^1].Data["result"]!;
        Assert.Equal(text, Assert.Single(result["output"]!.AsArray())!["content"]!.GetValue<string>());
        Assert.InRange(deltas, 1, result["stats"]!["total_output_tokens"]!.GetValue<long>());
        Assert.StartsWith("resp_", result["response_id"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_ModelNotLoaded_ReportsTheLoadInEventsAndStats()
    {
        using var lmStudio = LmStudio();
        // Start from an unloaded model, so this request's lease is a real load (404 when it was not loaded: fine too).
        using (await lmStudio.PostAsJsonAsync("/api/v1/models/unload", new { instance_id = LmStudioStackFixture.MirroredChat }, Ct)) { }
        Assert.True(await WaitAsync(async () => await RunnerAsync(LmStudioStackFixture.MirroredChat) is not { } r || r.GetProperty("state").GetString() != "ready"),
            "the model did not unload");
        Assert.True(await WaitAsync(async () => await RunnerAsync(LmStudioStackFixture.MirroredChat) is null), "the model's runner did not go away");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/chat")
        {
            Content = JsonContent.Create(new { model = LmStudioStackFixture.MirroredChat, input = "Hi", max_output_tokens = 4, stream = true }),
        };

        using var response = await lmStudio.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);

        var events = await ReadEventsAsync(response);
        var names = string.Join(", ", events.Take(4).Select(e => e.Name));
        Assert.True(names == "chat.start, model_load.start, model_load.end, prompt_processing.start",
            $"{names} ({string.Join(", ", response.Headers.GetValues("Server-Timing"))})");
        var loadTime = events[2].Data["load_time_seconds"]!.GetValue<double>();
        Assert.True(loadTime > 0);
        Assert.Equal(loadTime, events[^1].Data["result"]!["stats"]!["model_load_time_seconds"]!.GetValue<double>());

        // Loaded now: the next request reports no load.
        using var again = await lmStudio.PostAsJsonAsync("/api/v1/chat", new { model = LmStudioStackFixture.MirroredChat, input = "Hi", max_output_tokens = 1 }, Ct);
        Assert.Null((await JsonAsync(again, HttpStatusCode.OK))["stats"]!["model_load_time_seconds"]);
    }

    [Fact]
    public async Task Chat_SystemPromptAndInputItems_ReachTheModel()
    {
        using var lmStudio = LmStudio();

        var plain = await InputTokensAsync(lmStudio, new { model = Chat, input = "Hello there.", max_output_tokens = 1 });
        var withSystem = await InputTokensAsync(lmStudio, new { model = Chat, input = "Hello there.", system_prompt = "You are a terse assistant that answers in one word.", max_output_tokens = 1 });
        var asItems = await InputTokensAsync(lmStudio, new
        {
            model = Chat,
            input = new object[] { new { type = "message", content = "Hello there." }, new { type = "text", content = "And a second part of the same turn." } },
            max_output_tokens = 1,
        });

        Assert.True(withSystem > plain, $"system prompt: {withSystem} <= {plain} input tokens");
        Assert.True(asItems > plain, $"items: {asItems} <= {plain} input tokens");
    }

    [Fact]
    public async Task Chat_PreviousResponseId_ContinuesTheStoredConversation()
    {
        using var lmStudio = LmStudio();
        using var first = await lmStudio.PostAsJsonAsync("/api/v1/chat", new { model = Chat, input = "Hello there.", max_output_tokens = 4 }, Ct);
        var firstBody = await JsonAsync(first, HttpStatusCode.OK);

        var followUp = await InputTokensAsync(lmStudio, new { model = Chat, input = "Hello there.", previous_response_id = firstBody["response_id"]!.GetValue<string>(), max_output_tokens = 1 });

        Assert.True(followUp > firstBody["stats"]!["input_tokens"]!.GetValue<long>() + firstBody["stats"]!["total_output_tokens"]!.GetValue<long>() - 1);
    }

    [Fact]
    public async Task Chat_UnknownModel_Answers400InvalidModelIdentifier()
    {
        using var lmStudio = LmStudio();

        using var response = await lmStudio.PostAsJsonAsync("/api/v1/chat", new { model = "no-such-model", input = "Hi" }, Ct);

        var error = (await JsonAsync(response, HttpStatusCode.BadRequest))["error"]!;
        Assert.Equal(("invalid_request_error", "model", "model_not_found"),
            (error["type"]!.GetValue<string>(), error["param"]!.GetValue<string>(), error["code"]!.GetValue<string>()));
        Assert.StartsWith("Invalid model identifier \"no-such-model\". Please specify a valid downloaded model (e.g., ", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"model\":", null, "not valid JSON")]
    [InlineData("{\"input\":\"Hi\"}", "model", "'model' is required")]
    [InlineData("{\"model\":\"Tiny-Chat-GGUF/tiny-chat\"}", "input", "'input' is required")]
    [InlineData("{\"model\":\"Tiny-Chat-GGUF/tiny-chat\",\"input\":\"Hi\",\"integrations\":[\"mcp/playwright\"]}", "integrations", "not supported")]
    [InlineData("{\"model\":\"Tiny-Chat-GGUF/tiny-chat\",\"input\":\"Hi\",\"previous_response_id\":\"resp_unknown\"}", "previous_response_id", "not found")]
    public async Task Chat_BadBody_Answers400InLmStudiosEnvelope(string body, string? param, string expected)
    {
        using var lmStudio = LmStudio();

        using var response = await lmStudio.PostAsync("/api/v1/chat", new StringContent(body, Encoding.UTF8, "application/json"), Ct);

        var error = (await JsonAsync(response, HttpStatusCode.BadRequest))["error"]!;
        Assert.Contains(expected, error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("invalid_request_error", error["type"]!.GetValue<string>());
        Assert.Equal(param, error["param"]?.GetValue<string>());
    }

    [Fact]
    public async Task Chat_BodyOverTheLimit_Answers413InLmStudiosEnvelope()
    {
        using var lmStudio = LmStudio();
        var huge = new string('x', (int)LmStudioStackFixture.MaxRequestBodyBytes);

        using var response = await lmStudio.PostAsJsonAsync("/api/v1/chat", new { model = Chat, input = huge }, Ct);

        Assert.Equal("request_too_large", (await JsonAsync(response, HttpStatusCode.RequestEntityTooLarge))["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Chat_ClientGoesAwayMidStream_ReleasesTheLease()
    {
        using var gateway = LmStudio();
        using var client = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = gateway.BaseAddress };
        // A hot, flat sampling keeps the tiny model's random weights from picking end-of-text early; when it still does
        // before the client has left, the attempt proves nothing and is made again.
        var body = new { model = Chat, input = "Hello", max_output_tokens = 200_000, temperature = 2, top_p = 1, top_k = 0, stream = true };
        var leftMidStream = false;
        for (var attempt = 0; attempt < 10 && !leftMidStream; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/chat") { Content = JsonContent.Create(body) };
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));
            var deltas = 0;
            while (deltas < 5 && await reader.ReadLineAsync(Ct) is { } line)
                if (line == "event: message.delta") deltas++;
            leftMidStream = deltas == 5 && (await RunnerAsync(Chat))?.GetProperty("inFlight").GetInt32() == 1;
            if (!leftMidStream) Assert.True(await WaitAsync(async () => (await RunnerAsync(Chat))?.GetProperty("inFlight").GetInt32() is null or 0), "the lease was not released");
        }
        Assert.True(leftMidStream, "the model ended every generation before the client could leave");

        Assert.True(await WaitAsync(async () => (await RunnerAsync(Chat))?.GetProperty("inFlight").GetInt32() is null or 0), "the lease was not released");
        var endpoint = (await RunnerAsync(Chat))!.Value.GetProperty("endpoint").GetString()!;
        using var llama = new HttpClient { BaseAddress = new Uri(endpoint) };
        Assert.True(await WaitAsync(async () =>
            (await llama.GetFromJsonAsync<JsonElement>("/slots", Ct)).EnumerateArray().All(s => !s.GetProperty("is_processing").GetBoolean())),
            "llama-server kept generating for a client that left");
    }

    private HttpClient LmStudio() => stack.App.CreateHttpClient("gateway", "lmstudio");

    private static async Task<long> InputTokensAsync(HttpClient lmStudio, object body)
    {
        using var response = await lmStudio.PostAsJsonAsync("/api/v1/chat", body, Ct);
        return (await JsonAsync(response, HttpStatusCode.OK))["stats"]!["input_tokens"]!.GetValue<long>();
    }

    private static async Task<JsonNode> JsonAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(text)!;
    }

    /// <summary>The stream's events; each must be exactly "event: name", "data: json" and a blank line.</summary>
    private static async Task<List<(string Name, JsonNode Data)>> ReadEventsAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.EndsWith("\n\n", text, StringComparison.Ordinal);
        var events = new List<(string, JsonNode)>();
        foreach (var block in text[..^2].Split("\n\n"))
        {
            var lines = block.Split('\n');
            Assert.Equal(2, lines.Length);
            Assert.StartsWith("event: ", lines[0], StringComparison.Ordinal);
            Assert.StartsWith("data: ", lines[1], StringComparison.Ordinal);
            events.Add((lines[0]["event: ".Length..], JsonNode.Parse(lines[1]["data: ".Length..])!));
        }
        return events;
    }

    private async Task<JsonElement?> RunnerAsync(string model)
    {
        using var agent = stack.App.CreateHttpClient("runneragent");
        return (await agent.GetFromJsonAsync<JsonElement>("/runners", Ct)).EnumerateArray()
            .Where(r => string.Equals(r.GetProperty("model").GetString(), model, StringComparison.OrdinalIgnoreCase))
            .Select(r => (JsonElement?)r).FirstOrDefault();
    }

    private static async Task<bool> WaitAsync(Func<Task<bool>> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(15)) return false;
            await Task.Delay(50, Ct);
        }
        return true;
    }
}
