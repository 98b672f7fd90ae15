using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LlamaAspire.AppHost.Hosting.Testing;

namespace LlamaAspire.AppHost.Tests;

/// <summary>
/// The LM Studio port end to end, over raw HTTP against the whole application and real llama-servers: OpenAI-compatible
/// inference with JIT loading and ttl, REST v0 models and inference with stats, REST v1 models, load and unload, and
/// LM Studio's error shapes.
/// </summary>
public sealed class LmStudioDataPathTests(LmStudioStackFixture stack) : IClassFixture<LmStudioStackFixture>
{
    private const string Chat = LmStudioStackFixture.Chat;
    private const string Embed = LmStudioStackFixture.Embed;
    private static readonly string[] EmbeddingInputs = ["hello", "world"];
    private static readonly string[] States = ["loaded", "not-loaded"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ChatCompletions_StreamWithTtl_RelaysEveryEventAndKeepsTheModelForTheTtl()
    {
        using var lmStudio = LmStudio();
        using var request = ChatRequest("/v1/chat/completions", LmStudioStackFixture.MirroredChat, stream: true, tokens: 30, ttl: 3600);

        using var response = await lmStudio.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = await ReadEventsAsync(response);
        Assert.Equal("[DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e).RootElement).ToList();
        Assert.True(chunks.Count > 10, $"{chunks.Count} chunks");
        Assert.All(chunks, c => Assert.Equal(LmStudioStackFixture.MirroredChat, c.GetProperty("model").GetString()));
        Assert.DoesNotContain(chunks, c => c.TryGetProperty("stats", out _));
        // ttl is the lease's keep-alive: once idle, the model stays for an hour, not the default five minutes.
        Assert.True(await WaitAsync(async () => (await RunnerAsync(LmStudioStackFixture.MirroredChat)) is { } r
            && r.GetProperty("inFlight").GetInt32() == 0
            && r.GetProperty("expiresAt").ValueKind == JsonValueKind.String
            && r.GetProperty("expiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(30)), "the ttl did not become the keep-alive");
    }

    [Fact]
    public async Task Completions_NonStream_AnswersOpenAisObject()
    {
        using var lmStudio = LmStudio();

        using var response = await lmStudio.PostAsJsonAsync("/v1/completions", new { model = Chat, prompt = "The sky is", max_tokens = 5, ignore_eos = true }, Ct);

        var body = await JsonAsync(response, HttpStatusCode.OK);
        Assert.Equal(Chat, body.GetProperty("model").GetString());
        Assert.Equal("text_completion", body.GetProperty("object").GetString());
        Assert.Equal(5, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.False(body.TryGetProperty("stats", out _));
    }

    [Fact]
    public async Task Embeddings_EmbeddingModel_AnswersVectors()
    {
        using var lmStudio = LmStudio();

        using var response = await lmStudio.PostAsJsonAsync("/v1/embeddings", new { model = Embed, input = EmbeddingInputs }, Ct);

        var body = await JsonAsync(response, HttpStatusCode.OK);
        Assert.Equal(2, body.GetProperty("data").GetArrayLength());
        Assert.True(body.GetProperty("data")[0].GetProperty("embedding").GetArrayLength() > 0);
    }

    [Fact]
    public async Task V0ChatCompletions_NonStream_AddsStatsModelInfoAndRuntime()
    {
        using var lmStudio = LmStudio();

        using var response = await lmStudio.SendAsync(ChatRequest("/api/v0/chat/completions", Chat, stream: false, tokens: 8), Ct);

        var body = await JsonAsync(response, HttpStatusCode.OK);
        Assert.Equal(Chat, body.GetProperty("model").GetString());
        Assert.Equal(8, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        var stats = body.GetProperty("stats");
        Assert.Equal("maxPredictedTokensReached", stats.GetProperty("stop_reason").GetString());
        Assert.True(stats.GetProperty("tokens_per_second").GetDouble() > 0);
        Assert.True(stats.GetProperty("generation_time").GetDouble() > 0);
        Assert.True(stats.GetProperty("time_to_first_token").GetDouble() >= 0);
        var runner = (await RunnerAsync(Chat))!.Value;
        var modelInfo = body.GetProperty("model_info");
        Assert.Equal(("llama", "gguf"), (modelInfo.GetProperty("arch").GetString(), modelInfo.GetProperty("format").GetString()));
        Assert.False(string.IsNullOrEmpty(modelInfo.GetProperty("quant").GetString()));
        Assert.Equal(runner.GetProperty("contextLength").GetInt32(), modelInfo.GetProperty("context_length").GetInt32());
        var runtime = body.GetProperty("runtime");
        Assert.StartsWith("llama.cpp-", runtime.GetProperty("name").GetString(), StringComparison.Ordinal);
        Assert.Equal(runner.GetProperty("runtimeVersion").GetString(), runtime.GetProperty("version").GetString());
        Assert.Equal("gguf", Assert.Single(runtime.GetProperty("supported_formats").EnumerateArray()).GetString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task V0ChatCompletions_Stream_PutsTheExtrasOnTheLastChunkOnly(bool includeUsage)
    {
        using var lmStudio = LmStudio();
        using var request = ChatRequest("/api/v0/chat/completions", Chat, stream: true, tokens: 30, includeUsage: includeUsage);

        using var response = await lmStudio.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = await ReadEventsAsync(response);
        Assert.Equal("[DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e).RootElement).ToList();
        Assert.True(chunks.Count > 10, $"{chunks.Count} chunks");
        Assert.All(chunks, c => Assert.Equal(Chat, c.GetProperty("model").GetString()));
        Assert.All(chunks[..^1], c => Assert.False(c.TryGetProperty("stats", out _)));
        var last = chunks[^1];
        Assert.Equal(includeUsage, last.TryGetProperty("usage", out _));
        Assert.Equal("maxPredictedTokensReached", last.GetProperty("stats").GetProperty("stop_reason").GetString());
        Assert.Equal("llama", last.GetProperty("model_info").GetProperty("arch").GetString());
        Assert.StartsWith("llama.cpp-", last.GetProperty("runtime").GetProperty("name").GetString(), StringComparison.Ordinal);
        await AssertNothingInFlightAsync(Chat);
    }

    [Fact]
    public async Task V0Completions_NonStream_AddsStats()
    {
        using var lmStudio = LmStudio();

        using var response = await lmStudio.PostAsJsonAsync("/api/v0/completions", new { model = Chat, prompt = "The sky is", max_tokens = 4, ignore_eos = true }, Ct);

        var body = await JsonAsync(response, HttpStatusCode.OK);
        Assert.Equal("text_completion", body.GetProperty("object").GetString());
        Assert.Equal("maxPredictedTokensReached", body.GetProperty("stats").GetProperty("stop_reason").GetString());
        Assert.Equal("gguf", body.GetProperty("model_info").GetProperty("format").GetString());
    }

    [Fact]
    public async Task V0Embeddings_EmbeddingModel_AnswersVectorsWithTheAskedName()
    {
        using var lmStudio = LmStudio();

        using var response = await lmStudio.PostAsJsonAsync("/api/v0/embeddings", new { model = "TINY-EMBED", input = EmbeddingInputs }, Ct);

        var body = await JsonAsync(response, HttpStatusCode.OK);
        Assert.Equal("TINY-EMBED", body.GetProperty("model").GetString());
        Assert.Equal(2, body.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task V0Models_Get_ListsEveryModelWithItsKindAndPublisher()
    {
        using var lmStudio = LmStudio();

        using var response = await lmStudio.GetAsync(new Uri("/api/v0/models", UriKind.Relative), Ct);

        var body = await JsonAsync(response, HttpStatusCode.OK);
        Assert.Equal("list", body.GetProperty("object").GetString());
        var models = body.GetProperty("data").EnumerateArray().ToDictionary(m => m.GetProperty("id").GetString()!);
        Assert.Equal([LmStudioStackFixture.MirroredChat, Chat, Embed], models.Keys.Order(StringComparer.OrdinalIgnoreCase));
        var chat = models[Chat];
        Assert.Equal(("model", "llm", "lmstudio-community", "llama", "gguf"), (
            chat.GetProperty("object").GetString(), chat.GetProperty("type").GetString(), chat.GetProperty("publisher").GetString(),
            chat.GetProperty("arch").GetString(), chat.GetProperty("compatibility_type").GetString()));
        Assert.True(chat.GetProperty("max_context_length").GetInt64() > 0);
        Assert.Equal("mirror", models[LmStudioStackFixture.MirroredChat].GetProperty("publisher").GetString());
        Assert.Equal(("embeddings", "embed"), (models[Embed].GetProperty("type").GetString(), models[Embed].GetProperty("publisher").GetString()));
        Assert.All(models.Values, m => Assert.Contains(m.GetProperty("state").GetString(), States));
    }

    [Theory]
    [InlineData("/api/v0/models/Tiny-Chat-GGUF%2Ftiny-chat")]
    [InlineData("/api/v0/models/Tiny-Chat-GGUF/tiny-chat")]
    [InlineData("/api/v0/models/tiny%2Dchat-gguf%2FTINY-CHAT")]
    public async Task V0Model_EncodedOrPlainId_AnswersThatModel(string path)
    {
        using var lmStudio = LmStudio();

        using var response = await lmStudio.GetAsync(new Uri(path, UriKind.Relative), Ct);

        var body = await JsonAsync(response, HttpStatusCode.OK);
        Assert.Equal(Chat, body.GetProperty("id").GetString());
        Assert.Equal("lmstudio-community", body.GetProperty("publisher").GetString());
    }

    [Fact]
    public async Task V0Model_UnknownId_Answers404InLmStudiosEnvelope()
    {
        using var lmStudio = LmStudio();

        using var response = await lmStudio.GetAsync(new Uri("/api/v0/models/no%2Fsuch-model", UriKind.Relative), Ct);

        var error = (await JsonAsync(response, HttpStatusCode.NotFound)).GetProperty("error");
        Assert.Equal("model_not_found", error.GetProperty("code").GetString());
        Assert.Contains("no/such-model", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task V1Models_Get_ListsEveryModelInV1Shape()
    {
        using var lmStudio = LmStudio();

        using var response = await lmStudio.GetAsync(new Uri("/api/v1/models", UriKind.Relative), Ct);

        var models = (await JsonAsync(response, HttpStatusCode.OK)).GetProperty("models").EnumerateArray().ToDictionary(m => m.GetProperty("key").GetString()!);
        var chat = models[Chat];
        Assert.Equal(("llm", "lmstudio-community", "llama", "gguf"), (
            chat.GetProperty("type").GetString(), chat.GetProperty("publisher").GetString(),
            chat.GetProperty("architecture").GetString(), chat.GetProperty("format").GetString()));
        Assert.True(chat.GetProperty("size_bytes").GetInt64() > 0);
        Assert.False(string.IsNullOrEmpty(chat.GetProperty("display_name").GetString()));
        Assert.False(string.IsNullOrEmpty(chat.GetProperty("quantization").GetProperty("name").GetString()));
        Assert.Equal(JsonValueKind.Array, chat.GetProperty("loaded_instances").ValueKind);
        Assert.False(chat.GetProperty("capabilities").GetProperty("vision").GetBoolean());
        var embed = models[Embed];
        Assert.Equal("embedding", embed.GetProperty("type").GetString());
        Assert.False(embed.TryGetProperty("architecture", out _));
        Assert.False(embed.TryGetProperty("capabilities", out _));
    }

    [Fact]
    public async Task LoadThenUnload_ChatModel_ShowsLoadedThenNotLoaded()
    {
        using var lmStudio = LmStudio();
        // Start from an unloaded model, so the load is a real one.
        using (var agent = stack.App.CreateHttpClient("runneragent"))
            await agent.PostAsync(new Uri("/runners/" + Uri.EscapeDataString("Tiny-Chat-GGUF") + "/tiny-chat/unload", UriKind.Relative), null, Ct);
        Assert.True(await WaitAsync(async () => await RunnerAsync(Chat) is not { } r || r.GetProperty("state").GetString() != "ready"), "the model did not unload");

        using (var load = await lmStudio.PostAsJsonAsync("/api/v1/models/load", new { model = Chat, context_length = 1024 }, Ct))
        {
            var loaded = await JsonAsync(load, HttpStatusCode.OK);
            Assert.Equal(("llm", Chat, "loaded"), (loaded.GetProperty("type").GetString(), loaded.GetProperty("instance_id").GetString(), loaded.GetProperty("status").GetString()));
            Assert.True(loaded.GetProperty("load_time_seconds").GetDouble() >= 0);
        }
        // The scheduler loads at least its default context (a smaller request shares it), so the context shown is the runner's.
        var context = (await RunnerAsync(Chat))!.Value.GetProperty("contextLength").GetInt32();
        Assert.True(context >= 1024, $"context {context}");
        var v0 = await JsonAsync(await lmStudio.GetAsync(new Uri("/api/v0/models/Tiny-Chat-GGUF%2Ftiny-chat", UriKind.Relative), Ct), HttpStatusCode.OK);
        Assert.Equal(("loaded", context), (v0.GetProperty("state").GetString(), v0.GetProperty("loaded_context_length").GetInt32()));
        var v1 = (await JsonAsync(await lmStudio.GetAsync(new Uri("/api/v1/models", UriKind.Relative), Ct), HttpStatusCode.OK))
            .GetProperty("models").EnumerateArray().Single(m => m.GetProperty("key").GetString() == Chat);
        var instance = Assert.Single(v1.GetProperty("loaded_instances").EnumerateArray());
        Assert.Equal((Chat, context), (instance.GetProperty("id").GetString(), instance.GetProperty("config").GetProperty("context_length").GetInt32()));
        // Loaded to stay: no expiry, as LM Studio keeps a model it was told to load.
        Assert.Equal(JsonValueKind.Null, (await RunnerAsync(Chat))!.Value.GetProperty("expiresAt").ValueKind);

        using (var unload = await lmStudio.PostAsJsonAsync("/api/v1/models/unload", new { instance_id = Chat }, Ct))
            Assert.Equal(Chat, (await JsonAsync(unload, HttpStatusCode.OK)).GetProperty("instance_id").GetString());

        Assert.True(await WaitAsync(async () =>
            (await lmStudio.GetFromJsonAsync<JsonElement>("/api/v0/models/Tiny-Chat-GGUF%2Ftiny-chat", Ct)).GetProperty("state").GetString() == "not-loaded"),
            "the model still shows loaded after its unload");
        var after = await lmStudio.GetFromJsonAsync<JsonElement>("/api/v0/models/Tiny-Chat-GGUF%2Ftiny-chat", Ct);
        Assert.False(after.TryGetProperty("loaded_context_length", out _));
    }

    [Fact]
    public async Task Unload_NotLoadedInstance_Answers404InLmStudiosEnvelope()
    {
        using var lmStudio = LmStudio();

        using var response = await lmStudio.PostAsJsonAsync("/api/v1/models/unload", new { instance_id = "no-such-instance" }, Ct);

        var error = (await JsonAsync(response, HttpStatusCode.NotFound)).GetProperty("error");
        Assert.Equal(("model_not_found", "instance_id"), (error.GetProperty("code").GetString(), error.GetProperty("param").GetString()));
    }

    [Fact]
    public async Task Load_UnknownModel_Answers400InvalidModelIdentifier()
    {
        using var lmStudio = LmStudio();

        using var response = await lmStudio.PostAsJsonAsync("/api/v1/models/load", new { model = "no-such-model" }, Ct);

        var error = (await JsonAsync(response, HttpStatusCode.BadRequest)).GetProperty("error");
        Assert.StartsWith("Invalid model identifier \"no-such-model\"", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Download_AnyModel_Answers501WithAClearMessage()
    {
        using var lmStudio = LmStudio();

        using var response = await lmStudio.PostAsJsonAsync("/api/v1/models/download", new { model = "qwen/qwen3-4b" }, Ct);

        var error = (await JsonAsync(response, HttpStatusCode.NotImplemented)).GetProperty("error");
        Assert.Contains("not supported yet", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("later release", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/v1/chat/completions")]
    [InlineData("/api/v0/chat/completions")]
    public async Task ChatCompletions_UnknownModel_Answers400InvalidModelIdentifier(string path)
    {
        using var lmStudio = LmStudio();

        using var response = await lmStudio.SendAsync(ChatRequest(path, "no-such-model", stream: false, tokens: 1), Ct);

        var error = (await JsonAsync(response, HttpStatusCode.BadRequest)).GetProperty("error");
        Assert.Equal(
            ("invalid_request_error", "model", "model_not_found"),
            (error.GetProperty("type").GetString(), error.GetProperty("param").GetString(), error.GetProperty("code").GetString()));
        Assert.StartsWith("Invalid model identifier \"no-such-model\". Please specify a valid downloaded model (e.g., ", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/v1/chat/completions", "{\"model\":", "not valid JSON")]
    [InlineData("/api/v0/completions", "{\"prompt\":\"x\"}", "'model' is required")]
    [InlineData("/v1/embeddings", "{\"model\":\"tiny-embed\",\"input\":\"x\",\"ttl\":\"1h\"}", "'ttl' must be")]
    [InlineData("/api/v1/models/load", "{\"model\":", "not valid JSON")]
    [InlineData("/api/v1/models/load", "{\"model\":\"tiny-embed\",\"ttl\":\"1h\"}", "'ttl' must be")]
    [InlineData("/api/v1/models/load", "{\"model\":\"tiny-embed\",\"context_length\":0}", "'context_length' must be")]
    [InlineData("/api/v1/models/unload", "{}", "'instance_id' is required")]
    public async Task Post_BadBody_Answers400InLmStudiosEnvelope(string path, string body, string expected)
    {
        using var lmStudio = LmStudio();

        using var response = await lmStudio.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"), Ct);

        Assert.Contains(expected, (await JsonAsync(response, HttpStatusCode.BadRequest)).GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChatCompletions_BodyOverTheLimit_Answers413()
    {
        using var lmStudio = LmStudio();
        var huge = new string('x', (int)LmStudioStackFixture.MaxRequestBodyBytes);

        using var response = await lmStudio.PostAsJsonAsync("/api/v0/chat/completions", new { model = Chat, messages = new[] { new { role = "user", content = huge } } }, Ct);

        Assert.Equal("request_too_large", (await JsonAsync(response, HttpStatusCode.RequestEntityTooLarge)).GetProperty("error").GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("GET", "/api/v0/chat/completions")]
    [InlineData("POST", "/api/v0/models")]
    [InlineData("GET", "/api/v1/models/load")]
    [InlineData("POST", "/api/v2/models")]
    public async Task UnknownRoute_AnyMethod_Answers200WithLmStudioStringError(string method, string path)
    {
        using var lmStudio = LmStudio();

        using var response = await lmStudio.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), Ct);

        var body = await JsonAsync(response, HttpStatusCode.OK);
        Assert.Equal($"Unexpected endpoint or method. ({method} {path})", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task V0ChatCompletions_ClientGoesAwayMidStream_ReleasesTheLease()
    {
        using var gateway = LmStudio();
        using var client = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = gateway.BaseAddress };
        using (var request = ChatRequest("/api/v0/chat/completions", Chat, stream: true, tokens: 200_000))
        using (var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct))
        {
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));
            Assert.StartsWith("data: ", await reader.ReadLineAsync(Ct), StringComparison.Ordinal);
            Assert.Equal(1, (await RunnerAsync(Chat))!.Value.GetProperty("inFlight").GetInt32());
        }

        await AssertNothingInFlightAsync(Chat);
        var endpoint = (await RunnerAsync(Chat))!.Value.GetProperty("endpoint").GetString()!;
        using var llama = new HttpClient { BaseAddress = new Uri(endpoint) };
        Assert.True(await WaitAsync(async () =>
            (await llama.GetFromJsonAsync<JsonElement>("/slots", Ct)).EnumerateArray().All(s => !s.GetProperty("is_processing").GetBoolean())),
            "llama-server kept generating for a client that left");
    }

    private HttpClient LmStudio() => stack.App.CreateHttpClient("gateway", "lmstudio");

    private static HttpRequestMessage ChatRequest(string path, string model, bool stream, int tokens, int? ttl = null, bool includeUsage = false)
    {
        var body = new Dictionary<string, object>
        {
            ["model"] = model,
            ["messages"] = new[] { new { role = "user", content = "Hello, tiny model!" } },
            ["max_tokens"] = tokens,
            ["ignore_eos"] = true,
            ["stream"] = stream,
        };
        if (ttl is { } seconds) body["ttl"] = seconds;
        if (includeUsage) body["stream_options"] = new { include_usage = true };
        return new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(Ct);
            Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            return JsonDocument.Parse(text).RootElement.Clone();
        }
    }

    private static async Task<List<string>> ReadEventsAsync(HttpResponseMessage response)
    {
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));
        var events = new List<string>();
        while (await reader.ReadLineAsync(Ct) is { } line)
            if (line.StartsWith("data: ", StringComparison.Ordinal)) events.Add(line["data: ".Length..]);
        return events;
    }

    private async Task<JsonElement?> RunnerAsync(string model)
    {
        using var agent = stack.App.CreateHttpClient("runneragent");
        return (await agent.GetFromJsonAsync<JsonElement>("/runners", Ct)).EnumerateArray()
            .Where(r => string.Equals(r.GetProperty("model").GetString(), model, StringComparison.OrdinalIgnoreCase))
            .Select(r => (JsonElement?)r).FirstOrDefault();
    }

    private async Task AssertNothingInFlightAsync(string model) =>
        Assert.True(await WaitAsync(async () => (await RunnerAsync(model))?.GetProperty("inFlight").GetInt32() is null or 0), "the lease was not released");

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
