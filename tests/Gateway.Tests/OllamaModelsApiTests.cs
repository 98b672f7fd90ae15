using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LlamaAspire.Gateway.Tests.Support;

namespace LlamaAspire.Gateway.Tests;

/// <summary>The Ollama model endpoints over fake MetadataService and RunnerAgent, in the shapes clients key on (protocols.md §1.8, §6).</summary>
public sealed partial class OllamaModelsApiTests(OllamaGatewayFixture fixture) : IClassFixture<OllamaGatewayFixture>
{
    private readonly GatewayProcess _gateway = fixture.Gateway;

    [Fact]
    public async Task Version_Get_AnswersConfiguredNumericVersion()
    {
        var ct = TestContext.Current.CancellationToken;

        using var response = await _gateway.Ollama.GetAsync(new Uri("/api/version", UriKind.Relative), ct);

        HttpAssert.JsonEqual($$"""{"version":"{{OllamaGatewayFixture.Version}}"}""", await HttpAssert.JsonAsync(response, HttpStatusCode.OK, ct));
    }

    [Theory]
    [InlineData("/api/version")]
    [InlineData("/api/tags")]
    public async Task Head_ListingEndpoint_Answers200Json(string path)
    {
        var ct = TestContext.Current.CancellationToken;
        using var request = new HttpRequestMessage(HttpMethod.Head, new Uri(path, UriKind.Relative));

        using var response = await _gateway.Ollama.SendAsync(request, ct);

        Assert.Equal("", await HttpAssert.TextAsync(response, HttpStatusCode.OK, "application/json", ct));
    }

    [Fact]
    public async Task Tags_Get_ListsEveryModelTaggedNewestFirst()
    {
        var ct = TestContext.Current.CancellationToken;

        var models = (await GetJsonAsync("/api/tags", ct))["models"]!.AsArray();

        Assert.Equal(["llama3.2:1b", "qwen2.5-0.5b-instruct:latest", "nomic-ai/nomic-embed-text-v1.5:latest"], models.Select(m => (string?)m!["name"]));
        Assert.All(models, m => Assert.Equal((string?)m!["name"], (string?)m["model"]));
    }

    [Fact]
    public async Task Tags_Get_EntryHasOllamaShape()
    {
        var ct = TestContext.Current.CancellationToken;

        var qwen = (await GetJsonAsync("/api/tags", ct))["models"]!.AsArray().Single(m => (string?)m!["name"] == "qwen2.5-0.5b-instruct:latest")!;

        Assert.Equal(["name", "model", "modified_at", "size", "digest", "details"], qwen.AsObject().Select(p => p.Key));
        Assert.Equal(397_807_936L, qwen["size"]!.GetValue<long>());
        Assert.Equal(FakeOllamaUpstreams.QwenHex, (string?)qwen["digest"]);
        Assert.Equal(DateTimeOffset.Parse("2026-01-02T03:04:05.5Z", CultureInfo.InvariantCulture), ParseRfc3339((string)qwen["modified_at"]!));
        HttpAssert.JsonEqual(
            """{"parent_model":"","format":"gguf","family":"qwen2","families":["qwen2"],"parameter_size":"494.03M","quantization_level":"Q4_K_M"}""",
            qwen["details"]!);
    }

    [Fact]
    public async Task Tags_DigestPending_Answers64HexStandInStableAcrossCalls()
    {
        var ct = TestContext.Current.CancellationToken;

        var first = (await GetJsonAsync("/api/tags", ct))["models"]!.AsArray().Single(m => (string?)m!["name"] == "llama3.2:1b")!;
        var second = (await GetJsonAsync("/api/tags", ct))["models"]!.AsArray().Single(m => (string?)m!["name"] == "llama3.2:1b")!;

        Assert.Matches(HexDigest(), (string)first["digest"]!);
        Assert.Equal((string?)first["digest"], (string?)second["digest"]);
        Assert.Equal("1.2B", (string?)first["details"]!["parameter_size"]);
    }

    [Theory]
    [InlineData("""{"model":"qwen2.5-0.5b-instruct"}""")]
    [InlineData("""{"model":"QWEN2.5-0.5B-Instruct:latest"}""")]
    [InlineData("""{"name":"qwen2.5-0.5b-instruct:latest"}""")]
    [InlineData("""{"model":"registry.ollama.ai/library/qwen2.5-0.5b-instruct"}""")]
    public async Task Show_ModelOrLegacyNameInAnySpelling_DescribesTheModel(string body)
    {
        var ct = TestContext.Current.CancellationToken;

        var show = await PostJsonAsync("/api/show", body, HttpStatusCode.OK, ct);

        Assert.Equal(FakeOllamaUpstreams.QwenTemplate, (string?)show["template"]);
        Assert.Equal(["completion", "tools"], show["capabilities"]!.AsArray().Select(c => (string?)c));
        Assert.Equal("apache-2.0", (string?)show["license"]);
        Assert.Equal("qwen2", (string?)show["details"]!["family"]);
        ParseRfc3339((string)show["modified_at"]!);
    }

    [Fact]
    public async Task Show_NotVerbose_ModelInfoHasGgufKeysAndElidesLargeArrays()
    {
        var ct = TestContext.Current.CancellationToken;

        var show = await PostJsonAsync("/api/show", """{"model":"qwen2.5-0.5b-instruct"}""", HttpStatusCode.OK, ct);

        var info = show["model_info"]!.AsObject();
        Assert.Equal("qwen2", (string?)info["general.architecture"]);
        Assert.Equal("Qwen2.5", (string?)info["general.basename"]);
        Assert.Equal(32768, info["qwen2.context_length"]!.GetValue<int>());
        Assert.Equal(1000000.5, info["qwen2.rope.freq_base"]!.GetValue<double>());
        Assert.Equal(494_032_768L, info["general.parameter_count"]!.GetValue<long>());
        Assert.Equal("[\"chat\",\"text-generation\"]", info["general.tags"]!.ToJsonString());
        Assert.Equal("[]", info["tokenizer.ggml.tokens"]!.ToJsonString());
        Assert.False(info.ContainsKey("general.name"));
        Assert.False(info.ContainsKey("tokenizer.chat_template"));
        Assert.Null(show["parameters"]);
    }

    [Fact]
    public async Task Show_Verbose_ModelInfoHasWholeArraysAndStopParameters()
    {
        var ct = TestContext.Current.CancellationToken;

        var show = await PostJsonAsync("/api/show", """{"model":"qwen2.5-0.5b-instruct","verbose":true}""", HttpStatusCode.OK, ct);

        Assert.Equal(6, show["model_info"]!["tokenizer.ggml.tokens"]!.AsArray().Count);
        Assert.Equal("stop                           \"<|im_end|>\"", (string?)show["parameters"]);
        var modelfile = (string)show["modelfile"]!;
        Assert.StartsWith("# Modelfile generated by \"ollama show\"\n", modelfile, StringComparison.Ordinal);
        Assert.Contains("\nFROM /models/qwen2.5-0.5b-instruct-q4_k_m.gguf\n", modelfile, StringComparison.Ordinal);
        Assert.Contains($"\nTEMPLATE \"\"\"{FakeOllamaUpstreams.QwenTemplate}\"\"\"\n", modelfile, StringComparison.Ordinal);
        Assert.Contains("\nPARAMETER stop <|im_end|>\n", modelfile, StringComparison.Ordinal);
        Assert.Contains("\nLICENSE \"\"\"apache-2.0\"\"\"\n", modelfile, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_IdWithSlash_DescribesEmbeddingModel()
    {
        var ct = TestContext.Current.CancellationToken;

        var show = await PostJsonAsync("/api/show", """{"model":"nomic-ai/nomic-embed-text-v1.5"}""", HttpStatusCode.OK, ct);

        Assert.Equal(["embedding"], show["capabilities"]!.AsArray().Select(c => (string?)c));
        Assert.Equal("", (string?)show["template"]);
        Assert.Null(show["license"]);
    }

    [Theory]
    [InlineData("""{"model":"llama3.2"}""", "llama3.2")]
    [InlineData("""{"model":"missing"}""", "missing")]
    public async Task Show_UnknownModel_Answers404WithOllamaWording(string body, string name)
    {
        var ct = TestContext.Current.CancellationToken;

        var error = await PostJsonAsync("/api/show", body, HttpStatusCode.NotFound, ct);

        HttpAssert.JsonEqual($$"""{"error":"model '{{name}}' not found"}""", error);
    }

    [Theory]
    [InlineData("{}", "model is required")]
    [InlineData("""{"model":"../etc/passwd"}""", "invalid model name")]
    [InlineData("""{"model":"/etc/passwd"}""", "invalid model name")]
    [InlineData("""{"name":"a\\b"}""", "invalid model name")]
    public async Task Show_MissingOrInvalidName_Answers400(string body, string message)
    {
        var ct = TestContext.Current.CancellationToken;

        var error = await PostJsonAsync("/api/show", body, HttpStatusCode.BadRequest, ct);

        HttpAssert.JsonEqual($$"""{"error":"{{message}}"}""", error);
    }

    [Theory]
    [InlineData("/api/show")]
    [InlineData("/api/pull")]
    public async Task Post_MalformedJson_Answers400JsonError(string path)
    {
        var ct = TestContext.Current.CancellationToken;

        var error = await PostJsonAsync(path, "{\"model\":", HttpStatusCode.BadRequest, ct);

        Assert.Contains("invalid JSON", (string?)error["error"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_EmptyBody_Answers400MissingRequestBody()
    {
        var ct = TestContext.Current.CancellationToken;

        var error = await PostJsonAsync("/api/show", "", HttpStatusCode.BadRequest, ct);

        HttpAssert.JsonEqual("""{"error":"missing request body"}""", error);
    }

    [Fact]
    public async Task Ps_Get_ListsLoadingAndReadyRunnersWithCatalogDetails()
    {
        var ct = TestContext.Current.CancellationToken;

        var models = (await GetJsonAsync("/api/ps", ct))["models"]!.AsArray();

        // llama has no expiry (loading): "forever" sorts first.
        Assert.Equal(["llama3.2:1b", "qwen2.5-0.5b-instruct:latest"], models.Select(m => (string?)m!["name"]));
        var qwen = models[1]!;
        Assert.Equal(["name", "model", "size", "digest", "details", "expires_at", "size_vram", "context_length"], qwen.AsObject().Select(p => p.Key));
        Assert.Equal("qwen2.5-0.5b-instruct:latest", (string?)qwen["model"]);
        Assert.Equal(600_000_000L, qwen["size"]!.GetValue<long>());
        Assert.Equal(FakeOllamaUpstreams.QwenHex, (string?)qwen["digest"]);
        Assert.Equal(0, qwen["size_vram"]!.GetValue<long>());
        Assert.Equal(4096, qwen["context_length"]!.GetValue<int>());
        Assert.Equal(DateTimeOffset.Parse(FakeOllamaUpstreams.QwenExpiresAt, CultureInfo.InvariantCulture), ParseRfc3339((string)qwen["expires_at"]!));
        Assert.Equal("494.03M", (string?)qwen["details"]!["parameter_size"]);
        Assert.True(ParseRfc3339((string)models[0]!["expires_at"]!).Year > 2300);
    }

    [Fact]
    public async Task Pull_PresentModelStreaming_StreamsNdjsonEndingWithSuccess()
    {
        var ct = TestContext.Current.CancellationToken;

        using var response = await PostAsync("/api/pull", """{"model":"qwen2.5-0.5b-instruct"}""", ct);

        var body = await HttpAssert.TextAsync(response, HttpStatusCode.OK, "application/x-ndjson", ct);
        Assert.Equal("{\"status\":\"pulling manifest\"}\n{\"status\":\"success\"}\n", body);
    }

    [Fact]
    public async Task Pull_PresentModelNotStreaming_AnswersSingleSuccess()
    {
        var ct = TestContext.Current.CancellationToken;

        var body = await PostJsonAsync("/api/pull", """{"name":"llama3.2:1b","stream":false}""", HttpStatusCode.OK, ct);

        HttpAssert.JsonEqual("""{"status":"success"}""", body);
    }

    [Fact]
    public async Task Pull_MissingModel_Answers404ManifestError()
    {
        var ct = TestContext.Current.CancellationToken;

        var error = await PostJsonAsync("/api/pull", """{"model":"gemma3:27b"}""", HttpStatusCode.NotFound, ct);

        Assert.StartsWith("pull model manifest: file does not exist", (string?)error["error"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("POST", "/api/push")]
    [InlineData("POST", "/api/create")]
    [InlineData("HEAD", "/api/blobs/sha256:0000")]
    [InlineData("POST", "/api/blobs/sha256:0000")]
    public async Task ManagementCall_NotSupported_Answers501(string method, string path)
    {
        var ct = TestContext.Current.CancellationToken;
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative)) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };

        using var response = await _gateway.Ollama.SendAsync(request, ct);

        Assert.Equal(HttpStatusCode.NotImplemented, response.StatusCode);
        if (method != "HEAD") Assert.Contains("not implemented", (string?)(await HttpAssert.JsonAsync(response, HttpStatusCode.NotImplemented, ct))["error"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("POST", "/api/copy", """{"source":"qwen2.5-0.5b-instruct"}""", HttpStatusCode.BadRequest, "source and destination are required")]
    [InlineData("POST", "/api/copy", """{"source":"nope","destination":"x"}""", HttpStatusCode.NotFound, "model \"nope\" not found")]
    [InlineData("POST", "/api/copy", """{"source":"qwen2.5-0.5b-instruct","destination":"../x"}""", HttpStatusCode.BadRequest, "destination \"../x\" is invalid")]
    [InlineData("POST", "/api/copy", """{"source":"llama3.2:1b","destination":"QWEN2.5-0.5b-instruct"}""", HttpStatusCode.BadRequest, "is a model file")]
    [InlineData("DELETE", "/api/delete", """{}""", HttpStatusCode.BadRequest, "model is required")]
    [InlineData("DELETE", "/api/delete", """{"model":"a/../b"}""", HttpStatusCode.BadRequest, "name \"a/../b\" is invalid")]
    [InlineData("DELETE", "/api/delete", """{"name":"nope"}""", HttpStatusCode.NotFound, "model 'nope' not found")]
    public async Task CopyOrDelete_BadRequest_AnswersOllamasError(string method, string path, string body, HttpStatusCode status, string expected)
    {
        var ct = TestContext.Current.CancellationToken;
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative)) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

        using var response = await _gateway.Ollama.SendAsync(request, ct);

        Assert.Contains(expected, (string?)(await HttpAssert.JsonAsync(response, status, ct))["error"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("POST", "/api/tags")]
    [InlineData("GET", "/api/show")]
    [InlineData("DELETE", "/api/version")]
    public async Task KnownPath_WrongMethod_Answers405PlainText(string method, string path)
    {
        var ct = TestContext.Current.CancellationToken;
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));

        using var response = await _gateway.Ollama.SendAsync(request, ct);

        Assert.Equal("405 method not allowed", await HttpAssert.TextAsync(response, HttpStatusCode.MethodNotAllowed, "text/plain", ct));
    }

    [Fact]
    public async Task Tags_OnLmStudioPort_IsNotOllama()
    {
        var ct = TestContext.Current.CancellationToken;

        using var response = await _gateway.LmStudio.GetAsync(new Uri("/api/tags", UriKind.Relative), ct);

        HttpAssert.JsonEqual("""{"error":"Unexpected endpoint or method. (GET /api/tags)"}""", await HttpAssert.JsonAsync(response, HttpStatusCode.OK, ct));
    }

    /// <summary>RFC 3339 as Python's datetime.fromisoformat and Go read it: offset required, fraction of at most 9 digits.</summary>
    private static DateTimeOffset ParseRfc3339(string value)
    {
        Assert.Matches(Rfc3339(), value);
        return DateTimeOffset.Parse(value, CultureInfo.InvariantCulture);
    }

    private async Task<JsonNode> GetJsonAsync(string path, CancellationToken ct)
    {
        using var response = await _gateway.Ollama.GetAsync(new Uri(path, UriKind.Relative), ct);
        return await HttpAssert.JsonAsync(response, HttpStatusCode.OK, ct);
    }

    private async Task<JsonNode> PostJsonAsync(string path, string body, HttpStatusCode status, CancellationToken ct)
    {
        using var response = await PostAsync(path, body, ct);
        return await HttpAssert.JsonAsync(response, status, ct);
    }

    private Task<HttpResponseMessage> PostAsync(string path, string body, CancellationToken ct) =>
        _gateway.Ollama.PostAsync(new Uri(path, UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"), ct);

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex Rfc3339();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex HexDigest();
}
