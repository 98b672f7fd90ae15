using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LlamaAspire.AppHost.Hosting.Testing;

namespace LlamaAspire.AppHost.Tests;

/// <summary>
/// The data path through the whole application: the Gateway's OpenAI port leases the model from the RunnerAgent and
/// relays llama-server's answer, unbuffered, with the model named as the client named it.
/// </summary>
public sealed class DataPathTests(StackFixture stack, ITestOutputHelper output) : IClassFixture<StackFixture>
{
    private static readonly string[] EmbeddingInputs = ["hello", "world"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ChatCompletions_Stream_RelaysEveryEventWithTheAskedName()
    {
        using var openAi = stack.App.CreateHttpClient("gateway", "openai");
        using var request = Chat("TINY-CHAT", stream: true, tokens: 40);

        using var response = await openAi.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = await ReadEventsAsync(await response.Content.ReadAsStreamAsync(Ct));
        Assert.Equal("[DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e).RootElement).ToList();
        Assert.True(chunks.Count > 10, $"{chunks.Count} chunks");   // one per token, less the tokens whose bytes end in a later one
        Assert.All(chunks, c => Assert.Equal("TINY-CHAT", c.GetProperty("model").GetString()));
        Assert.Contains(chunks, c => c.GetProperty("choices").EnumerateArray().Any(ch => ch.GetProperty("finish_reason").ValueKind == JsonValueKind.String));
        await AssertNothingInFlightAsync("tiny-chat");
    }

    [Fact]
    public async Task ChatCompletions_StreamWhoseFirstTokenIsHeldBack_StillOpensWithTheAssistantRole()
    {
        // With these weights and this seed the first token is part of a multi-byte character: llama-server holds it
        // back and then sends no role chunk at all (checked first, against llama-server itself).
        var body = new { model = "tiny-chat", messages = new[] { new { role = "user", content = "Hi" } }, max_tokens = 5, seed = 2, stream = true };
        using var agent = stack.App.CreateHttpClient("runneragent");
        using var loaded = await agent.PostAsync("/runners/tiny-chat/load", null, Ct);
        loaded.EnsureSuccessStatusCode();
        using var llamaServer = new HttpClient { BaseAddress = new Uri((await loaded.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("endpoint").GetString()!) };
        using var direct = await llamaServer.PostAsJsonAsync("/v1/chat/completions", body, Ct);
        var directChunks = Chunks(await ReadEventsAsync(await direct.Content.ReadAsStreamAsync(Ct)));
        Assert.DoesNotContain(directChunks, c => Delta(c).TryGetProperty("role", out _));

        using var openAi = stack.App.CreateHttpClient("gateway", "openai");
        using var relayed = await openAi.PostAsJsonAsync("/v1/chat/completions", body, Ct);
        var chunks = Chunks(await ReadEventsAsync(await relayed.Content.ReadAsStreamAsync(Ct)));

        Assert.Equal("assistant", Delta(chunks[0]).GetProperty("role").GetString());
        Assert.Single(chunks, c => Delta(c).TryGetProperty("role", out _));
        Assert.Equal(Text(directChunks), Text(chunks));
        await AssertNothingInFlightAsync("tiny-chat");

        static List<JsonElement> Chunks(List<string> events) => [.. events.Where(e => e != "[DONE]").Select(e => JsonDocument.Parse(e).RootElement)];
        static JsonElement Delta(JsonElement chunk) => chunk.GetProperty("choices")[0].GetProperty("delta");
        static string Text(List<JsonElement> chunks) =>
            string.Concat(chunks.Select(c => Delta(c).TryGetProperty("content", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : ""));
    }

    [Fact]
    public async Task ChatCompletions_NonStream_AnswersOneObjectWithUsage()
    {
        using var openAi = stack.App.CreateHttpClient("gateway", "openai");
        using var request = Chat("tiny-chat", stream: false, tokens: 8);

        using var response = await openAi.SendAsync(request, Ct);

        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        Assert.Equal("tiny-chat", body.GetProperty("model").GetString());
        Assert.Equal(8, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task ChatCompletions_ModelAlreadyServing_OverlapsTheLeaseWithTheRequest()
    {
        using var openAi = stack.App.CreateHttpClient("gateway", "openai");
        using (var first = await openAi.SendAsync(Chat("tiny-chat", stream: false, tokens: 2), Ct)) Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        // The overlap is used only when the lease comes within its window, which a loaded machine may miss now and then.
        var overlapped = false;
        for (var i = 0; i < 10 && !overlapped; i++)
        {
            using var next = await openAi.SendAsync(Chat("tiny-chat", stream: false, tokens: 2), Ct);
            Assert.Equal(HttpStatusCode.OK, next.StatusCode);
            overlapped = next.Headers.GetValues("Server-Timing").Single().Contains("desc=\"overlapped\"", StringComparison.Ordinal);
        }

        Assert.True(overlapped, "no request was sent before its lease came");
        await AssertNothingInFlightAsync("tiny-chat");
    }

    [Theory]
    [InlineData("openai", "tiny-chat", "/v1/embeddings")]
    [InlineData("lmstudio", "tiny-chat", "/v1/embeddings")]
    [InlineData("ollama", "tiny-chat:latest", "/v1/embeddings")]
    public async Task Route_ModelWithoutThatCapability_Answers400NamingIt(string port, string model, string path)
    {
        using var client = stack.App.CreateHttpClient("gateway", port);

        using var response = await client.PostAsJsonAsync(path, new { model, input = "a", messages = new[] { new { role = "user", content = "a" } } }, Ct);

        var error = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("error");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(("invalid_request_error", "model_not_supported"), (error.GetProperty("type").GetString(), error.GetProperty("code").GetString()));
        Assert.Contains(model, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        await AssertNothingInFlightAsync(model.Split(':')[0]);
    }

    [Fact]
    public async Task Embeddings_EmbeddingModel_AnswersVectors()
    {
        using var openAi = stack.App.CreateHttpClient("gateway", "openai");

        using var response = await openAi.PostAsJsonAsync("/v1/embeddings", new { model = "tiny-embed", input = EmbeddingInputs }, Ct);

        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        Assert.Equal(2, body.GetProperty("data").GetArrayLength());
        Assert.True(body.GetProperty("data")[0].GetProperty("embedding").GetArrayLength() > 0);
    }

    [Fact]
    public async Task ChatCompletions_ClientGoesAwayMidStream_ReleasesTheLeaseAndStopsTheGeneration()
    {
        using var gateway = stack.App.CreateHttpClient("gateway", "openai");
        // No draining: disposing a half-read response must close the connection, as a client that aborts does.
        using var openAi = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = gateway.BaseAddress };
        using (var request = Chat("tiny-chat", stream: true, tokens: 200_000))
        using (var response = await openAi.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct))
        {
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));
            Assert.StartsWith("data: ", await reader.ReadLineAsync(Ct), StringComparison.Ordinal);
            Assert.Equal(1, (await RunnerAsync("tiny-chat")).GetProperty("inFlight").GetInt32());
        }
        var clock = Stopwatch.StartNew();

        var endpoint = (await RunnerAsync("tiny-chat")).GetProperty("endpoint").GetString()!;
        using var llama = new HttpClient { BaseAddress = new Uri(endpoint) };
        Assert.True(await WaitAsync(async () =>
            (await llama.GetFromJsonAsync<JsonElement>("/slots", Ct)).EnumerateArray().All(s => !s.GetProperty("is_processing").GetBoolean())),
            "llama-server kept generating for a client that left");
        output.WriteLine($"llama-server's slots were idle {clock.ElapsedMilliseconds} ms after the client left");
        await AssertNothingInFlightAsync("tiny-chat");
    }

    [Fact]
    public async Task ChatCompletions_UnknownModel_Answers404InOpenAisEnvelope()
    {
        using var openAi = stack.App.CreateHttpClient("gateway", "openai");

        using var response = await openAi.SendAsync(Chat("no-such-model", stream: false, tokens: 1), Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("error");
        Assert.Equal(("model_not_found", "invalid_request_error"), (error.GetProperty("code").GetString(), error.GetProperty("type").GetString()));
        Assert.Contains("no-such-model", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"model\":", HttpStatusCode.BadRequest, "could not parse the JSON body")]
    [InlineData("{\"messages\":[]}", HttpStatusCode.BadRequest, "you must provide a model parameter")]
    [InlineData("{\"model\":\"../../etc/passwd\",\"messages\":[]}", HttpStatusCode.BadRequest, "'..'")]
    public async Task ChatCompletions_BadBody_AnswersTheReasonInOpenAisEnvelope(string body, HttpStatusCode status, string expected)
    {
        using var openAi = stack.App.CreateHttpClient("gateway", "openai");

        using var response = await openAi.PostAsync("/v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(status, response.StatusCode);
        Assert.Contains(expected, (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChatCompletions_BodyOverTheLimit_Answers413()
    {
        using var openAi = stack.App.CreateHttpClient("gateway", "openai");
        var huge = new string('x', (int)StackFixture.MaxRequestBodyBytes);

        using var response = await openAi.PostAsJsonAsync("/v1/chat/completions", new { model = "tiny-chat", messages = new[] { new { role = "user", content = huge } } }, Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("request_too_large", (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("error").GetProperty("code").GetString());
    }

    private static HttpRequestMessage Chat(string model, bool stream, int tokens) => new(HttpMethod.Post, "/v1/chat/completions")
    {
        Content = JsonContent.Create(new
        {
            model,
            messages = new[] { new { role = "user", content = "Hello, tiny model!" } },
            max_tokens = tokens,
            ignore_eos = true,
            stream,
        }),
    };

    private static async Task<List<string>> ReadEventsAsync(Stream body)
    {
        using var reader = new StreamReader(body);
        var events = new List<string>();
        while (await reader.ReadLineAsync(Ct) is { } line)
            if (line.StartsWith("data: ", StringComparison.Ordinal)) events.Add(line["data: ".Length..]);
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
