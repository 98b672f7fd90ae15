using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using LlamaAspire.AppHost.Hosting.Testing;

namespace LlamaAspire.AppHost.Tests;

/// <summary>
/// The 15 compatibility quirks of protocols.md §6, each checked on the wire (raw HTTP, raw bytes) against the whole
/// application on real llama-servers. Quirk 7 (tool-call shape) needs a model that calls tools, which random weights
/// do not: its translation is covered by the golden-file tests of OllamaChatTranslator and ToolCallAccumulator.
/// </summary>
public sealed partial class OllamaQuirkTests(StackFixture stack) : IClassFixture<StackFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // Quirk 1: every stream ends with a terminal line; progress streams with {"status":"success"}.
    [Fact]
    public async Task Streams_Finish_WithDoneOrSuccessLine()
    {
        using var ollama = Ollama();

        var chat = await RawLinesAsync(ollama, "/api/chat", new { model = "tiny-chat", messages = User("Hi"), options = new { num_predict = 3, seed = 1 } });
        var generate = await RawLinesAsync(ollama, "/api/generate", new { model = "tiny-chat", prompt = "Hi", options = new { num_predict = 3, seed = 1 } });
        var pull = await RawLinesAsync(ollama, "/api/pull", new { model = "tiny-chat" });

        foreach (var last in new[] { chat[^1], generate[^1] })
        {
            using var final = JsonDocument.Parse(last);
            Assert.True(final.RootElement.GetProperty("done").GetBoolean());
            Assert.True(final.RootElement.TryGetProperty("done_reason", out _));
            Assert.True(final.RootElement.GetProperty("total_duration").GetInt64() > 0);
        }
        Assert.Equal("""{"status":"success"}""", pull[^1]);
    }

    // Quirk 1: an error after the first byte is a final {"error"} line, and the status stays 200.
    [Fact]
    public async Task Chat_ServerDiesMidStream_EndsWithAnErrorLineUnder200()
    {
        using var ollama = Ollama();
        using var response = await ollama.SendAsync(Post("/api/chat", new { model = "tiny-chat", messages = User("Go on"), options = new { num_predict = 200_000 } }),
            HttpCompletionOption.ResponseHeadersRead, Ct);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));
        Assert.NotNull(await reader.ReadLineAsync(Ct));

        Process.GetProcessById(await RunnerPidAsync("tiny-chat")).Kill();
        var lines = new List<string>();
        while (await reader.ReadLineAsync(Ct) is { } line) lines.Add(line);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var last = JsonDocument.Parse(lines[^1]);
        Assert.False(string.IsNullOrEmpty(last.RootElement.GetProperty("error").GetString()));
        // The model comes back on the next request.
        using var again = await ollama.SendAsync(Post("/api/generate", new { model = "tiny-chat", prompt = "Hi", stream = false, options = new { num_predict = 2 } }), Ct);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    // Quirk 2: only JSON lines: no SSE prefixes, no comments, no blank or partial lines.
    [Fact]
    public async Task Streams_Bytes_AreOneJsonObjectPerLine()
    {
        using var ollama = Ollama();

        foreach (var (path, body) in new (string, object)[]
        {
            ("/api/chat", new { model = "tiny-chat", messages = User("Hi"), options = new { num_predict = 20, seed = 2 } }),
            ("/api/generate", new { model = "tiny-chat", prompt = "Hi", options = new { num_predict = 20, seed = 2 } }),
        })
        {
            using var response = await ollama.SendAsync(Post(path, body), Ct);
            var text = await response.Content.ReadAsStringAsync(Ct);

            Assert.EndsWith("}\n", text, StringComparison.Ordinal);
            foreach (var line in text[..^1].Split('\n'))
            {
                Assert.StartsWith("{", line, StringComparison.Ordinal);
                using var _ = JsonDocument.Parse(line);
            }
        }
    }

    // Quirk 3: absent "stream" streams; stream:false is one object; load and unload are one object whatever "stream" says.
    [Fact]
    public async Task StreamDefaults_PerRequestKind_AreOllamas()
    {
        using var ollama = Ollama();

        // Seeded: unseeded random weights sometimes end at once (end-of-sequence first), leaving only the done line.
        using var absent = await ollama.SendAsync(Post("/api/generate", new { model = "tiny-chat", prompt = "Hi", options = new { num_predict = 3, seed = 1 } }), Ct);
        using var off = await ollama.SendAsync(Post("/api/generate", new { model = "tiny-chat", prompt = "Hi", stream = false, options = new { num_predict = 3, seed = 1 } }), Ct);
        using var load = await ollama.SendAsync(Post("/api/chat", new { model = "tiny-chat", messages = Array.Empty<object>(), stream = true }), Ct);
        using var unload = await ollama.SendAsync(Post("/api/chat", new { model = "tiny-chat", messages = Array.Empty<object>(), keep_alive = 0, stream = true }), Ct);

        Assert.Equal("application/x-ndjson", absent.Content.Headers.ContentType?.MediaType);
        Assert.True((await absent.Content.ReadAsStringAsync(Ct)).Trim().Split('\n').Length > 1);
        Assert.Equal("application/json", off.Content.Headers.ContentType?.MediaType);
        Assert.True((await off.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("done").GetBoolean());
        foreach (var (response, reason) in new[] { (load, "load"), (unload, "unload") })
        {
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            var single = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
            Assert.Equal((reason, true), (single.GetProperty("done_reason").GetString(), single.GetProperty("done").GetBoolean()));
        }
    }

    // Quirk 4: /api/tags entries are complete and tagged.
    [Fact]
    public async Task Tags_Entries_AreCompleteAndTagged()
    {
        using var ollama = Ollama();

        var models = (await ollama.GetFromJsonAsync<JsonElement>("/api/tags", Ct)).GetProperty("models").EnumerateArray().ToList();

        Assert.Equal(["tiny-chat:latest", "tiny-embed:latest"], models.Select(m => m.GetProperty("name").GetString()).Order());
        foreach (var model in models)
        {
            Assert.Equal(model.GetProperty("name").GetString(), model.GetProperty("model").GetString());
            Assert.True(model.GetProperty("size").TryGetInt64(out var size) && size > 0);
            Assert.Matches(Hex64(), model.GetProperty("digest").GetString());
            Assert.True(DateTimeOffset.TryParseExact(model.GetProperty("modified_at").GetString(), "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", CultureInfo.InvariantCulture, DateTimeStyles.None, out _));
            var details = model.GetProperty("details");
            Assert.Equal("gguf", details.GetProperty("format").GetString());
            Assert.Equal(JsonValueKind.String, details.GetProperty("parent_model").ValueKind);
            Assert.Equal(details.GetProperty("family").GetString(), details.GetProperty("families")[0].GetString());
            Assert.False(string.IsNullOrEmpty(details.GetProperty("parameter_size").GetString()));
            Assert.False(string.IsNullOrEmpty(details.GetProperty("quantization_level").GetString()));
        }
    }

    // Quirk 5: a real, recent, all-numeric version; GET and HEAD / answer "Ollama is running".
    [Fact]
    public async Task Probes_VersionAndRoot_LookLikeARecentOllama()
    {
        using var ollama = Ollama();

        var version = (await ollama.GetFromJsonAsync<JsonElement>("/api/version", Ct)).GetProperty("version").GetString()!;
        using var root = await ollama.GetAsync("/", Ct);
        using var head = await ollama.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/"), Ct);

        Assert.True(Version.Parse(version) >= new Version(0, 6, 4) && version.Split('.').All(p => int.TryParse(p, CultureInfo.InvariantCulture, out _)), version);
        Assert.Equal("Ollama is running", await root.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
    }

    // Quirk 6: /api/show takes "model" or "name" and returns what clients derive capabilities from.
    [Fact]
    public async Task Show_ModelOrLegacyName_AnswersModelInfoCapabilitiesAndParameterLines()
    {
        using var ollama = Ollama();

        using var byModel = await ollama.SendAsync(Post("/api/show", new { model = "tiny-chat" }), Ct);
        using var byName = await ollama.SendAsync(Post("/api/show", new { name = "tiny-chat:latest" }), Ct);

        var show = await byModel.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(show.ToString(), (await byName.Content.ReadFromJsonAsync<JsonElement>(Ct)).ToString());
        var info = show.GetProperty("model_info");
        Assert.Equal("llama", info.GetProperty("general.architecture").GetString());
        Assert.True(info.TryGetProperty("general.basename", out _));
        Assert.True(info.GetProperty("llama.context_length").GetInt64() > 0);
        Assert.Contains("completion", show.GetProperty("capabilities").EnumerateArray().Select(c => c.GetString()));
        Assert.False(string.IsNullOrEmpty(show.GetProperty("template").GetString()));
        foreach (var line in (show.GetProperty("parameters").GetString() ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
            Assert.Matches(ParameterLine(), line);
    }

    // Quirk 8: thinking asked of a model without it is Ollama's 400 (so are tools, in the same words).
    [Fact]
    public async Task Chat_ThinkOrToolsForAModelWithoutThem_Answers400InOllamasWords()
    {
        using var ollama = Ollama();
        var tool = new { type = "function", function = new { name = "now", parameters = new { type = "object" } } };

        using var think = await ollama.SendAsync(Post("/api/chat", new { model = "tiny-chat", messages = User("Hi"), think = true }), Ct);
        using var tools = await ollama.SendAsync(Post("/api/chat", new { model = "tiny-chat", messages = User("Hi"), tools = new[] { tool } }), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, think.StatusCode);
        Assert.Equal("\"tiny-chat\" does not support thinking", (await think.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, tools.StatusCode);
        Assert.Equal("\"tiny-chat\" does not support tools", (await tools.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("error").GetString());
    }

    // Quirk 9: integer nanoseconds, RFC 3339 UTC created_at.
    [Fact]
    public async Task Chat_Answer_HasIntegerNanosecondsAndUtcCreatedAt()
    {
        using var ollama = Ollama();

        using var response = await ollama.SendAsync(Post("/api/chat", new { model = "tiny-chat", messages = User("Hi"), stream = false, options = new { num_predict = 4, seed = 3 } }), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        var answer = JsonDocument.Parse(text).RootElement;

        foreach (var field in new[] { "total_duration", "load_duration", "prompt_eval_duration", "eval_duration" })
            Assert.Matches($"\"{field}\":[1-9][0-9]*[,}}]", text);
        Assert.True(answer.GetProperty("total_duration").GetInt64() > 1_000, "nanoseconds, not milliseconds");
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$", answer.GetProperty("created_at").GetString());
    }

    // Quirk 10: keep_alive as seconds, Go durations and negatives shows in /api/ps; 0 unloads.
    [Fact]
    public async Task KeepAlive_EveryForm_ShowsInPsExpiresAt()
    {
        using var ollama = Ollama();

        await LoadAsync(ollama, "10m");
        var tenMinutes = await ExpiresAtAsync(ollama);
        await LoadAsync(ollama, 90);
        var ninetySeconds = await ExpiresAtAsync(ollama);
        await LoadAsync(ollama, -1);
        var forever = await ExpiresAtAsync(ollama);
        await LoadAsync(ollama, 0);

        Assert.InRange(tenMinutes - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(11));
        Assert.InRange(ninetySeconds - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(95));
        Assert.True(forever > DateTimeOffset.UtcNow.AddYears(100), forever.ToString("O", CultureInfo.InvariantCulture));
        var ps = await ollama.GetFromJsonAsync<JsonElement>("/api/ps", Ct);
        Assert.DoesNotContain(ps.GetProperty("models").EnumerateArray(), m => m.GetProperty("name").GetString() == "tiny-chat:latest");
    }

    // Quirk 11: OpenAI SSE framing on Ollama's /v1, include_usage chunk and [DONE] included.
    [Fact]
    public async Task OpenAiLayer_Stream_IsFramedExactlyAsOpenAis()
    {
        using var ollama = Ollama();

        using var response = await ollama.SendAsync(Post("/v1/chat/completions", new
        {
            model = "tiny-chat",
            messages = User("Hi"),
            max_tokens = 5,
            stream = true,
            stream_options = new { include_usage = true },
        }), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.All(events, e => Assert.StartsWith("data: ", e, StringComparison.Ordinal));
        Assert.Equal("data: [DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement).ToList();
        Assert.Single(chunks.Select(c => c.GetProperty("id").GetString()).Distinct());
        Assert.All(chunks, c => Assert.Equal("tiny-chat", c.GetProperty("model").GetString()));
        Assert.Equal("assistant", chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
        Assert.Contains(chunks, c => c.GetProperty("choices").GetArrayLength() == 1 && c.GetProperty("choices")[0].GetProperty("finish_reason").ValueKind == JsonValueKind.String);
        var usage = chunks[^1];
        Assert.Equal(0, usage.GetProperty("choices").GetArrayLength());
        Assert.True(usage.GetProperty("usage").GetProperty("completion_tokens").GetInt32() >= 1);
    }

    // Quirk 12: each surface has its error shape, and no route answers HTML.
    [Fact]
    public async Task Errors_EachSurface_AnswersInItsOwnShape()
    {
        using var ollama = Ollama();

        using var native = await ollama.SendAsync(Post("/api/generate", new { model = "nope", prompt = "x" }), Ct);
        using var openAi = await ollama.SendAsync(Post("/v1/chat/completions", new { model = "nope", messages = User("x") }), Ct);
        using var unknownRoute = await ollama.GetAsync("/api/nope", Ct);

        Assert.Equal(HttpStatusCode.NotFound, native.StatusCode);
        Assert.Equal(JsonValueKind.String, (await native.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("error").ValueKind);
        Assert.Equal(HttpStatusCode.NotFound, openAi.StatusCode);
        var error = (await openAi.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("error");
        Assert.Equal((JsonValueKind.String, JsonValueKind.String), (error.GetProperty("message").ValueKind, error.GetProperty("type").ValueKind));
        Assert.Equal(HttpStatusCode.NotFound, unknownRoute.StatusCode);
        Assert.NotEqual("text/html", unknownRoute.Content.Headers.ContentType?.MediaType);
    }

    // Quirk 13: routed by name in any spelling; every answer names the model as the client did.
    [Fact]
    public async Task Chat_NameInAnotherSpelling_EveryLineCarriesTheNameAsSent()
    {
        using var ollama = Ollama();

        var lines = await RawLinesAsync(ollama, "/api/chat", new { model = "registry.ollama.ai/library/TINY-CHAT:Latest", messages = User("Hi"), options = new { num_predict = 4 } });

        Assert.All(lines, l => Assert.Equal("registry.ollama.ai/library/TINY-CHAT:Latest", JsonDocument.Parse(l).RootElement.GetProperty("model").GetString()));
    }

    // Quirk 14: num_ctx is a load-time property; /api/ps reports the context the model really runs with. Here that is
    // the default (4096, the floor: a smaller num_ctx reuses it) and the trained maximum (4096, the cap). Restarts
    // for a larger num_ctx are covered by the RunnerAgent's scenario tests.
    [Fact]
    public async Task NumCtx_SmallerOrBeyondTrained_PsReportsTheEffectiveContext()
    {
        using var ollama = Ollama();
        await LoadAsync(ollama, 0);

        await GenerateAsync(ollama, numCtx: 1024);
        var smaller = await PsContextLengthAsync(ollama);
        await GenerateAsync(ollama, numCtx: 1_000_000);
        var beyond = await PsContextLengthAsync(ollama);

        Assert.Equal((4096, 4096), (smaller, beyond));
    }

    // Quirk 15: closing the connection stops the generation upstream, even with X-Conversation-Id on the request.
    [Fact]
    public async Task OpenAiLayer_ClientLeavesWithConversationId_TheGenerationStops()
    {
        using var gateway = Ollama();
        using var client = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = gateway.BaseAddress };
        var request = Post("/v1/chat/completions", new { model = "tiny-chat", messages = User("Go on"), max_tokens = 200_000, stream = true });
        request.Headers.Add("X-Conversation-Id", "conversation-1");
        using (var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct))
        {
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));
            Assert.NotNull(await reader.ReadLineAsync(Ct));
        }

        await WaitUntilIdleAsync("tiny-chat");
    }

    private HttpClient Ollama() => stack.App.CreateHttpClient("gateway", "ollama");

    private static object[] User(string content) => [new { role = "user", content }];

    private static HttpRequestMessage Post(string path, object body) => new(HttpMethod.Post, path) { Content = JsonContent.Create(body) };

    private static async Task<List<string>> RawLinesAsync(HttpClient client, string path, object body)
    {
        using var response = await client.SendAsync(Post(path, body), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }

    private static async Task LoadAsync(HttpClient ollama, object keepAlive)
    {
        using var response = await ollama.SendAsync(Post("/api/generate", new { model = "tiny-chat", keep_alive = keepAlive }), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task GenerateAsync(HttpClient ollama, int numCtx)
    {
        using var response = await ollama.SendAsync(Post("/api/generate", new { model = "tiny-chat", prompt = "Hi", stream = false, options = new { num_ctx = numCtx, num_predict = 2 } }), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<DateTimeOffset> ExpiresAtAsync(HttpClient ollama)
    {
        var ps = await ollama.GetFromJsonAsync<JsonElement>("/api/ps", Ct);
        var model = ps.GetProperty("models").EnumerateArray().Single(m => m.GetProperty("name").GetString() == "tiny-chat:latest");
        return DateTimeOffset.Parse(model.GetProperty("expires_at").GetString()!, CultureInfo.InvariantCulture);
    }

    private static async Task<int> PsContextLengthAsync(HttpClient ollama)
    {
        var ps = await ollama.GetFromJsonAsync<JsonElement>("/api/ps", Ct);
        return ps.GetProperty("models").EnumerateArray().Single(m => m.GetProperty("name").GetString() == "tiny-chat:latest").GetProperty("context_length").GetInt32();
    }

    private async Task<int> RunnerPidAsync(string model)
    {
        using var agent = stack.App.CreateHttpClient("runneragent");
        var runner = (await agent.GetFromJsonAsync<JsonElement>("/runners", Ct)).EnumerateArray().Single(r => r.GetProperty("model").GetString() == model);
        return runner.GetProperty("pid").GetInt32();
    }

    private async Task WaitUntilIdleAsync(string model)
    {
        using var agent = stack.App.CreateHttpClient("runneragent");
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var runner = (await agent.GetFromJsonAsync<JsonElement>("/runners", Ct)).EnumerateArray().Single(r => r.GetProperty("model").GetString() == model);
            using var llama = new HttpClient { BaseAddress = new Uri(runner.GetProperty("endpoint").GetString()!) };
            var idle = (await llama.GetFromJsonAsync<JsonElement>("/slots", Ct)).EnumerateArray().All(s => !s.GetProperty("is_processing").GetBoolean());
            if (idle && runner.GetProperty("inFlight").GetInt32() == 0) return;
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "the generation went on for a client that left");
            await Task.Delay(20, Ct);
        }
    }

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Hex64();

    // Continue reads parameters with a regex: a name, spaces, then a value; strings quoted.
    [GeneratedRegex("^[a-z_]+ +(\"[^\"]*\"|[-0-9.]+|true|false)$")]
    private static partial Regex ParameterLine();
}
