using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LlamaAspire.AppHost.Hosting.Testing;

namespace LlamaAspire.AppHost.Tests;

/// <summary>
/// llama.cpp's router routes on the Gateway's OpenAI port, as raw HTTP against the whole application: the model list
/// and its statuses through a load and an unload, the live status events, llama-server's own endpoints relayed by
/// model, and every refusal in llama-server's error envelope.
/// </summary>
public sealed class RouterApiTests(RouterStackFixture stack) : IClassFixture<RouterStackFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Models_LoadThenUnload_StatusesAndArgsFollow()
    {
        await UnloadAllAsync();
        using var openAi = OpenAi();

        Assert.Equal(("unloaded", 0), await StatusAsync(openAi, "/models", "tiny-chat"));

        using (var load = await PostAsync(openAi, "/models/load", """{"model":"tiny-chat"}"""))
            Assert.Equal("""{"success":true}""", await SuccessBodyAsync(load));
        using (var list = JsonDocument.Parse(await openAi.GetStringAsync("/models", Ct)))
        {
            Assert.Equal("list", list.RootElement.GetProperty("object").GetString());
            var chat = Model(list, "tiny-chat");
            Assert.Equal(("model", "llamacpp"), (chat.GetProperty("object").GetString(), chat.GetProperty("owned_by").GetString()));
            Assert.Equal("loaded", chat.GetProperty("status").GetProperty("value").GetString());
            var args = chat.GetProperty("status").GetProperty("args").EnumerateArray().Select(a => a.GetString()).ToList();
            Assert.EndsWith("llama-server", args[0], StringComparison.Ordinal);
            Assert.Equal("tiny-chat", args[args.IndexOf("--alias") + 1]);
            Assert.Contains("--metrics", args);
            Assert.Equal("unloaded", Model(list, "tiny-embed").GetProperty("status").GetProperty("value").GetString());
        }
        Assert.Equal("loaded", (await StatusAsync(openAi, "/v1/models", "tiny-chat")).Status);
        using (var again = await PostAsync(openAi, "/models/load", """{"model":"tiny-chat"}"""))
            await AssertErrorAsync(again, HttpStatusCode.BadRequest, "invalid_request_error", "model is already running");

        using (var unload = await PostAsync(openAi, "/models/unload", """{"model":"tiny-chat"}"""))
            Assert.Equal("""{"success":true}""", await SuccessBodyAsync(unload));
        Assert.Equal(("unloaded", 0), await StatusAsync(openAi, "/models", "tiny-chat"));
        using (var twice = await PostAsync(openAi, "/models/unload", """{"model":"tiny-chat"}"""))
            await AssertErrorAsync(twice, HttpStatusCode.BadRequest, "invalid_request_error", "model is not running");
    }

    [Fact]
    public async Task V1Model_KnownOrUnknown_AnswersItsListEntryOrA404()
    {
        using var openAi = OpenAi();

        using var list = JsonDocument.Parse(await openAi.GetStringAsync("/v1/models", Ct));
        using var one = JsonDocument.Parse(await openAi.GetStringAsync("/v1/models/TINY-CHAT", Ct));
        using var unknown = await openAi.GetAsync(new Uri("/v1/models/no-such-model", UriKind.Relative), Ct);

        var listed = Model(list, "tiny-chat");
        Assert.Equal(("tiny-chat", "model"), (one.RootElement.GetProperty("id").GetString(), one.RootElement.GetProperty("object").GetString()));
        Assert.Equal(listed.GetProperty("status").GetProperty("value").GetString(), one.RootElement.GetProperty("status").GetProperty("value").GetString());
        await AssertErrorAsync(unknown, HttpStatusCode.NotFound, "not_found_error", "model 'no-such-model' not found");
    }

    [Fact]
    public async Task ModelsSse_LoadThenUnload_StreamsLoadingLoadedUnloaded()
    {
        await UnloadAllAsync();
        using var openAi = OpenAi();
        using var response = await openAi.GetAsync(new Uri("/models/sse", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var events = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));

        using (var load = await PostAsync(openAi, "/models/load", """{"model":"tiny-chat"}""")) Assert.Equal(HttpStatusCode.OK, load.StatusCode);
        using (var unload = await PostAsync(openAi, "/models/unload", """{"model":"tiny-chat"}""")) Assert.Equal(HttpStatusCode.OK, unload.StatusCode);

        var statuses = new List<string>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        while (statuses.Count == 0 || statuses[^1] != "unloaded")
        {
            var data = await NextDataAsync(events, timeout.Token);
            Assert.NotNull(data);
            using var json = JsonDocument.Parse(data);
            Assert.Equal("tiny-chat", json.RootElement.GetProperty("model").GetString());
            Assert.Equal("model_status", json.RootElement.GetProperty("event").GetString());
            statuses.Add(json.RootElement.GetProperty("data").GetProperty("status").GetString()!);
        }
        Assert.Equal(["loading", "loaded", "unloaded"], statuses);
    }

    [Fact]
    public async Task Completion_Stream_RelaysEachEventAsItComes()
    {
        using var openAi = OpenAi();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/completion")
        {
            Content = Json("""{"model":"tiny-chat","prompt":"Hello","n_predict":16,"stream":true}"""),
        };

        using var response = await openAi.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));
        var chunks = new List<JsonElement>();
        while (await NextDataAsync(reader, Ct) is { } data) chunks.Add(JsonDocument.Parse(data).RootElement.Clone());
        Assert.True(chunks.Count > 2, $"{chunks.Count} events");
        Assert.All(chunks[..^1], c => Assert.False(c.GetProperty("stop").GetBoolean()));
        Assert.True(chunks[^1].GetProperty("stop").GetBoolean());
        Assert.Equal(16, chunks[^1].GetProperty("tokens_predicted").GetInt32());
    }

    [Fact]
    public async Task Completion_NonStream_AnswersLlamaServersObject()
    {
        using var openAi = OpenAi();

        using var response = await PostAsync(openAi, "/completion", """{"model":"tiny-chat","prompt":"Hello","n_predict":4}""");

        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        Assert.Equal(JsonValueKind.String, body.GetProperty("content").ValueKind);
        Assert.Equal(4, body.GetProperty("tokens_predicted").GetInt32());
    }

    [Fact]
    public async Task TokenizeThenDetokenize_RoundTrip_GivesTheTextBack()
    {
        using var openAi = OpenAi();

        using var tokenize = await PostAsync(openAi, "/tokenize", """{"model":"tiny-chat","content":"Hello world"}""");
        var tokens = await tokenize.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(tokenize.StatusCode == HttpStatusCode.OK, tokens.ToString());
        var ids = tokens.GetProperty("tokens").EnumerateArray().Select(t => t.GetInt32()).ToList();
        Assert.NotEmpty(ids);

        using var detokenize = await PostAsync(openAi, "/detokenize", JsonSerializer.Serialize(new { model = "tiny-chat", tokens = ids }));
        var text = await detokenize.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(detokenize.StatusCode == HttpStatusCode.OK, text.ToString());
        Assert.Equal("Hello world", text.GetProperty("content").GetString()!.Trim());
    }

    [Fact]
    public async Task ApplyTemplate_Messages_AnswersThePrompt()
    {
        using var openAi = OpenAi();

        using var response = await PostAsync(openAi, "/apply-template", """{"model":"tiny-chat","messages":[{"role":"user","content":"Hello there"}]}""");

        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        Assert.Contains("Hello there", body.GetProperty("prompt").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PropsSlotsMetrics_ModelInQuery_RelaysTheModelsAnswers()
    {
        using var openAi = OpenAi();

        using var props = await openAi.GetAsync(new Uri("/props?model=tiny-chat", UriKind.Relative), Ct);
        var propsBody = await props.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(props.StatusCode == HttpStatusCode.OK, propsBody.ToString());
        Assert.EndsWith("tiny-chat.gguf", propsBody.GetProperty("model_path").GetString(), StringComparison.Ordinal);

        using var slots = await openAi.GetAsync(new Uri("/slots?model=tiny-chat", UriKind.Relative), Ct);
        var slotsBody = await slots.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(slots.StatusCode == HttpStatusCode.OK, slotsBody.ToString());
        Assert.True(slotsBody.GetArrayLength() >= 1);

        using var metrics = await openAi.GetAsync(new Uri("/metrics?model=tiny-chat", UriKind.Relative), Ct);
        var text = await metrics.Content.ReadAsStringAsync(Ct);
        Assert.True(metrics.StatusCode == HttpStatusCode.OK, text);
        Assert.Contains("llamacpp:", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NativeRoutes_NoModelOneLoaded_UseIt()
    {
        await UnloadAllAsync();
        using var openAi = OpenAi();
        using (var load = await PostAsync(openAi, "/models/load", """{"model":"tiny-chat"}""")) Assert.Equal(HttpStatusCode.OK, load.StatusCode);

        using var tokenize = await PostAsync(openAi, "/tokenize", """{"content":"Hello"}""");
        using var slots = await openAi.GetAsync(new Uri("/slots", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.OK, tokenize.StatusCode);
        Assert.NotEmpty((await tokenize.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("tokens").EnumerateArray());
        Assert.Equal(HttpStatusCode.OK, slots.StatusCode);
        Assert.True((await slots.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetArrayLength() >= 1);
    }

    [Fact]
    public async Task NativeRoutes_AutoloadFalseModelNotLoaded_RefuseAndLoadNothing()
    {
        await UnloadAllAsync();
        using var openAi = OpenAi();

        using var tokenize = await PostAsync(openAi, "/tokenize?autoload=false", """{"model":"tiny-chat","content":"Hello"}""");
        using var props = await openAi.GetAsync(new Uri("/props?model=tiny-chat&autoload=false", UriKind.Relative), Ct);

        await AssertErrorAsync(tokenize, HttpStatusCode.BadRequest, "invalid_request_error", "model is not loaded");
        await AssertErrorAsync(props, HttpStatusCode.BadRequest, "invalid_request_error", "model is not loaded");
        Assert.Equal(("unloaded", 0), await StatusAsync(openAi, "/models", "tiny-chat"));
    }

    [Fact]
    public async Task NativeRoutes_NoModelNoneLoaded_RefuseWithMissingModel()
    {
        await UnloadAllAsync();
        using var openAi = OpenAi();

        using var tokenize = await PostAsync(openAi, "/tokenize", """{"content":"Hello"}""");
        using var slots = await openAi.GetAsync(new Uri("/slots", UriKind.Relative), Ct);

        await AssertErrorAsync(tokenize, HttpStatusCode.BadRequest, "invalid_request_error", "model name is missing from the request");
        await AssertErrorAsync(slots, HttpStatusCode.BadRequest, "invalid_request_error", "model name is missing from the request");
    }

    [Fact]
    public async Task NativeRoutes_UnknownModel_RefuseAsTheRouterDoes()
    {
        using var openAi = OpenAi();

        using var completion = await PostAsync(openAi, "/completion", """{"model":"no-such-model","prompt":"Hi"}""");
        using var metrics = await openAi.GetAsync(new Uri("/metrics?model=no-such-model", UriKind.Relative), Ct);

        await AssertErrorAsync(completion, HttpStatusCode.BadRequest, "invalid_request_error", "model 'no-such-model' not found");
        await AssertErrorAsync(metrics, HttpStatusCode.BadRequest, "invalid_request_error", "model 'no-such-model' not found");
    }

    [Theory]
    [InlineData("/tokenize")]
    [InlineData("/completion")]
    [InlineData("/models/load")]
    [InlineData("/models/unload")]
    public async Task Post_BadJson_RefusesWithInvalidRequest(string path)
    {
        using var openAi = OpenAi();

        using var response = await PostAsync(openAi, path, """{"model":"tiny-chat",""");

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request_error", "not valid JSON");
    }

    [Fact]
    public async Task ModelsLoadUnload_UnknownOrMissingModel_RefuseAsTheRouterDoes()
    {
        using var openAi = OpenAi();

        using var loadUnknown = await PostAsync(openAi, "/models/load", """{"model":"no-such-model"}""");
        using var unloadUnknown = await PostAsync(openAi, "/models/unload", """{"model":"no-such-model"}""");
        using var loadMissing = await PostAsync(openAi, "/models/load", "{}");

        await AssertErrorAsync(loadUnknown, HttpStatusCode.NotFound, "not_found_error", "model is not found");
        await AssertErrorAsync(unloadUnknown, HttpStatusCode.BadRequest, "invalid_request_error", "model is not found");
        await AssertErrorAsync(loadMissing, HttpStatusCode.BadRequest, "invalid_request_error", "model name is missing from the request");
    }

    private HttpClient OpenAi() => stack.App.CreateHttpClient("gateway", "openai");

    private async Task UnloadAllAsync()
    {
        using var agent = stack.App.CreateHttpClient("runneragent");
        using var response = await agent.PostAsync(new Uri("/runners/unload-all", UriKind.Relative), null, Ct);
        response.EnsureSuccessStatusCode();
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, string body) =>
        client.PostAsync(new Uri(path, UriKind.Relative), Json(body), Ct);

    private static async Task<string> SuccessBodyAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return body;
    }

    private static async Task<(string Status, int Args)> StatusAsync(HttpClient client, string path, string model)
    {
        using var list = JsonDocument.Parse(await client.GetStringAsync(new Uri(path, UriKind.Relative), Ct));
        var status = Model(list, model).GetProperty("status");
        return (status.GetProperty("value").GetString()!, status.GetProperty("args").GetArrayLength());
    }

    private static JsonElement Model(JsonDocument list, string id) =>
        list.RootElement.GetProperty("data").EnumerateArray().Single(m => m.GetProperty("id").GetString() == id);

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string type, string message)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == status, $"{response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(body);
        var error = json.RootElement.GetProperty("error");
        Assert.Equal((int)status, error.GetProperty("code").GetInt32());
        Assert.Equal(type, error.GetProperty("type").GetString());
        Assert.Contains(message, error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    /// <summary>The data of the next server-sent event, or null at the end of the stream.</summary>
    private static async Task<string?> NextDataAsync(StreamReader reader, CancellationToken ct)
    {
        var data = new List<string>();
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Count > 0) return string.Join('\n', data);
                continue;
            }
            if (line.StartsWith("data: ", StringComparison.Ordinal)) data.Add(line["data: ".Length..]);
        }
        return data.Count > 0 ? string.Join('\n', data) : null;
    }
}
