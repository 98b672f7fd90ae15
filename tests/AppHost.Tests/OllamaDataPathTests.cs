using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LlamaAspire.AppHost.Hosting.Testing;

namespace LlamaAspire.AppHost.Tests;

/// <summary>The Ollama port's generation and embedding endpoints through the whole application, on real llama-servers.</summary>
public sealed class OllamaDataPathTests(StackFixture stack) : IClassFixture<StackFixture>
{
    private static readonly string[] ThreeInputs = ["a", "b", "c"];
    private static readonly string[] DoneReasons = ["length", "stop"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Chat_Stream_AnswersNdjsonLinesThenTheFinalStats()
    {
        using var ollama = stack.App.CreateHttpClient("gateway", "ollama");

        using var response = await ollama.SendAsync(Post("/api/chat", new
        {
            model = "Tiny-Chat:latest",
            messages = new[] { new { role = "user", content = "Hello" } },
            options = new { num_predict = 12, seed = 1 },
        }), HttpCompletionOption.ResponseHeadersRead, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        var lines = await ReadLinesAsync(response);
        Assert.True(lines.Count > 2, string.Join('\n', lines.Select(l => l.ToString())));
        Assert.All(lines, l => Assert.Equal("Tiny-Chat:latest", l.GetProperty("model").GetString()));
        Assert.All(lines[..^1], l => Assert.False(l.GetProperty("done").GetBoolean()));
        var last = lines[^1];
        Assert.True(last.GetProperty("done").GetBoolean());
        Assert.Contains(last.GetProperty("done_reason").GetString(), DoneReasons);
        Assert.InRange(last.GetProperty("eval_count").GetInt32(), 1, 12);   // random weights may stop early at end-of-sequence
        foreach (var field in new[] { "total_duration", "load_duration", "prompt_eval_count", "prompt_eval_duration", "eval_duration" })
            Assert.True(last.GetProperty(field).GetInt64() > 0, field);
        Assert.True(last.GetProperty("total_duration").GetInt64() >= last.GetProperty("eval_duration").GetInt64());
    }

    [Fact]
    public async Task Generate_NotStreamed_AnswersOneObject()
    {
        using var ollama = stack.App.CreateHttpClient("gateway", "ollama");

        using var response = await ollama.SendAsync(Post("/api/generate", new { model = "tiny-chat", prompt = "Once", stream = false, options = new { num_predict = 5, seed = 1 } }), Ct);

        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        Assert.Equal(("tiny-chat", true), (body.GetProperty("model").GetString(), body.GetProperty("done").GetBoolean()));
        Assert.InRange(body.GetProperty("eval_count").GetInt32(), 1, 5);   // random weights may stop early at end-of-sequence
        Assert.Equal(JsonValueKind.String, body.GetProperty("response").ValueKind);
    }

    [Fact]
    public async Task Embed_Batch_AnswersOneVectorPerInput()
    {
        using var ollama = stack.App.CreateHttpClient("gateway", "ollama");

        using var response = await ollama.SendAsync(Post("/api/embed", new { model = "tiny-embed", input = ThreeInputs }), Ct);

        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        Assert.Equal(3, body.GetProperty("embeddings").GetArrayLength());
        Assert.True(body.GetProperty("embeddings")[0].GetArrayLength() > 0);

        using var legacy = await ollama.SendAsync(Post("/api/embeddings", new { model = "tiny-embed", prompt = "a" }), Ct);
        var legacyBody = await legacy.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(legacy.StatusCode == HttpStatusCode.OK, legacyBody.ToString());
        Assert.True(legacyBody.GetProperty("embedding").GetArrayLength() > 0);
    }

    [Fact]
    public async Task Embed_InputLongerThanTheContext_IsCutUnlessTruncateIsFalse()
    {
        using var ollama = stack.App.CreateHttpClient("gateway", "ollama");
        var tooLong = string.Concat(Enumerable.Repeat("many words here ", 2000));

        using var cut = await ollama.SendAsync(Post("/api/embed", new { model = "tiny-embed", input = new[] { "short", tooLong } }), Ct);
        using var refused = await ollama.SendAsync(Post("/api/embed", new { model = "tiny-embed", input = tooLong, truncate = false }), Ct);

        var body = await cut.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(cut.StatusCode == HttpStatusCode.OK, body.ToString());
        Assert.Equal(2, body.GetProperty("embeddings").GetArrayLength());
        Assert.InRange(body.GetProperty("prompt_eval_count").GetInt32(), 4096, 4096 + 8);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("the input length exceeds the context length", (await refused.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Generate_EmptyPromptThenKeepAliveZero_LoadsThenUnloads()
    {
        using var ollama = stack.App.CreateHttpClient("gateway", "ollama");
        using var agent = stack.App.CreateHttpClient("runneragent");

        using var load = await ollama.SendAsync(Post("/api/generate", new { model = "tiny-chat" }), Ct);
        var loaded = await load.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(("load", true), (loaded.GetProperty("done_reason").GetString(), loaded.GetProperty("done").GetBoolean()));
        Assert.Contains((await agent.GetFromJsonAsync<JsonElement>("/runners", Ct)).EnumerateArray(), r => r.GetProperty("model").GetString() == "tiny-chat");

        using var unload = await ollama.SendAsync(Post("/api/generate", new { model = "tiny-chat", keep_alive = 0 }), Ct);
        var unloaded = await unload.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal("unload", unloaded.GetProperty("done_reason").GetString());
        Assert.DoesNotContain((await agent.GetFromJsonAsync<JsonElement>("/runners", Ct)).EnumerateArray(), r => r.GetProperty("model").GetString() == "tiny-chat");
    }

    [Fact]
    public async Task Chat_UnknownModel_Answers404InOllamasWords()
    {
        using var ollama = stack.App.CreateHttpClient("gateway", "ollama");

        using var response = await ollama.SendAsync(Post("/api/chat", new { model = "nope", messages = new[] { new { role = "user", content = "x" } } }), Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("model \"nope\" not found, try pulling it first", (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Chat_ImagesToAModelWithoutVision_Answers400BeforeLoading()
    {
        using var ollama = stack.App.CreateHttpClient("gateway", "ollama");
        var png = Convert.ToBase64String([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);

        using var chat = await ollama.SendAsync(Post("/api/chat", new
        {
            model = "tiny-chat",
            messages = new[] { new { role = "user", content = "What is this?", images = new[] { png } } },
        }), Ct);
        using var generate = await ollama.SendAsync(Post("/api/generate", new { model = "tiny-chat", prompt = "What is this?", images = new[] { png } }), Ct);

        foreach (var response in new[] { chat, generate })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("does not support images", (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("error").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Chat_MalformedJson_Answers400WithAnError()
    {
        using var ollama = stack.App.CreateHttpClient("gateway", "ollama");

        using var response = await ollama.PostAsync("/api/chat", new StringContent("{\"model\":", Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(string.IsNullOrEmpty((await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("error").GetString()));
    }

    [Fact]
    public async Task Chat_ClientGoesAwayMidStream_TheGenerationStopsAndTheLeaseEnds()
    {
        using var gateway = stack.App.CreateHttpClient("gateway", "ollama");
        using var ollama = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = gateway.BaseAddress };
        using (var response = await ollama.SendAsync(Post("/api/chat", new
        {
            model = "tiny-chat",
            messages = new[] { new { role = "user", content = "Tell me everything" } },
            options = new { num_predict = 200_000 },
        }), HttpCompletionOption.ResponseHeadersRead, Ct))
        {
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));
            Assert.NotNull(await reader.ReadLineAsync(Ct));
        }

        using var agent = stack.App.CreateHttpClient("runneragent");
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var runner = (await agent.GetFromJsonAsync<JsonElement>("/runners", Ct)).EnumerateArray().Single(r => r.GetProperty("model").GetString() == "tiny-chat");
            using var llama = new HttpClient { BaseAddress = new Uri(runner.GetProperty("endpoint").GetString()!) };
            var idle = (await llama.GetFromJsonAsync<JsonElement>("/slots", Ct)).EnumerateArray().All(s => !s.GetProperty("is_processing").GetBoolean());
            if (idle && runner.GetProperty("inFlight").GetInt32() == 0) break;
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "the generation went on for a client that left");
            await Task.Delay(20, Ct);
        }
    }

    [Fact]
    public async Task OpenAiLayer_OllamaNames_ChatAndModelsAnswerWithThem()
    {
        using var ollama = stack.App.CreateHttpClient("gateway", "ollama");

        using var chat = await ollama.SendAsync(Post("/v1/chat/completions", new
        {
            model = "tiny-chat:latest",
            messages = new[] { new { role = "user", content = "Hello" } },
            max_tokens = 4,
        }), Ct);
        var models = await ollama.GetFromJsonAsync<JsonElement>("/v1/models", Ct);
        using var one = await ollama.GetAsync("/v1/models/tiny-chat", Ct);
        using var missing = await ollama.GetAsync("/v1/models/nope", Ct);

        var completion = await chat.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(chat.StatusCode == HttpStatusCode.OK, completion.ToString());
        Assert.Equal("tiny-chat:latest", completion.GetProperty("model").GetString());
        Assert.Contains(models.GetProperty("data").EnumerateArray(), m => m.GetProperty("id").GetString() == "tiny-chat:latest" && m.GetProperty("owned_by").GetString() == "library");
        Assert.Equal("tiny-chat:latest", (await one.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("model_not_found", (await missing.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("error").GetProperty("code").GetString());
    }

    private static HttpRequestMessage Post(string path, object body) => new(HttpMethod.Post, path) { Content = JsonContent.Create(body) };

    private static async Task<List<JsonElement>> ReadLinesAsync(HttpResponseMessage response)
    {
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));
        var lines = new List<JsonElement>();
        while (await reader.ReadLineAsync(Ct) is { Length: > 0 } line) lines.Add(JsonDocument.Parse(line).RootElement.Clone());
        return lines;
    }
}
