using System.Buffers;
using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using LlamaAspire.Gateway.Forwarding;
using LlamaAspire.Gateway.LmStudio;
using LlamaAspire.Gateway.Upstream;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LlamaAspire.Gateway.Tests;

/// <summary>The LM Studio surface's pure parts: model shapes of REST v0 and v1, v0's stats and extras, request checks.</summary>
public sealed class LmStudioTranslatorTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private static readonly LmStudioV0ModelInfo ModelInfo = new("llama", "Q4_K_M", "gguf", 4096);

    private static readonly LmStudioV0Runtime Runtime =
        new("llama.cpp-linux-x86_64", "0.5.0-dev (build 1, commit de3ff81)", ["gguf"]);

    [Fact]
    public void V0List_CatalogWithRunners_GivesLmStudioV0Models()
    {
        var list = LmStudioModelShapes.V0List(Catalog(), Runners());

        LmStudioGolden.AssertJson("v0-models.json", JsonSerializer.Serialize(list));
    }

    [Fact]
    public void V1List_CatalogWithRunners_GivesLmStudioV1Models()
    {
        var list = LmStudioModelShapes.V1List(Catalog(), Runners());

        LmStudioGolden.AssertJson("v1-models.json", JsonSerializer.Serialize(list));
    }

    [Theory]
    [InlineData("m", "/home/me/.lmstudio/models/lmstudio-community/M-GGUF/m.gguf", "lmstudio-community")]
    [InlineData("m", "/srv/models/embed/m.gguf", "embed")]
    [InlineData("m", "/srv/models/m.gguf", LmStudioModelShapes.DefaultPublisher)]
    [InlineData("m", "/home/me/.ollama/models/blobs/sha256-00", LmStudioModelShapes.DefaultPublisher)]
    [InlineData("unsloth/m", "/srv/models/unsloth/m.gguf", "unsloth")]
    [InlineData("M-GGUF/m", "/srv/models/lmstudio-community/M-GGUF/m.gguf", "lmstudio-community")]
    [InlineData("m", "m.gguf", LmStudioModelShapes.DefaultPublisher)]
    public void Publisher_PathAndId_NamesThePublisher(string id, string path, string expected) =>
        Assert.Equal(expected, LmStudioModelShapes.Publisher(id, path));

    [Theory]
    [InlineData("Q4_K_M", 4.0)]
    [InlineData("IQ2_XXS", 2.0)]
    [InlineData("MXFP4_MOE", 4.0)]
    [InlineData("BF16", 16.0)]
    [InlineData("F32", 32.0)]
    [InlineData("unknown", null)]
    public void BitsPerWeight_QuantizationName_GivesItsNominalBits(string name, double? bits) =>
        Assert.Equal(bits, LmStudioModelShapes.BitsPerWeight(name));

    [Theory]
    [InlineData(null, 8_030_261_248L, "8B")]
    [InlineData(null, 1_543_714_304L, "1.5B")]
    [InlineData(null, 268_098_176L, "268M")]
    [InlineData(null, 135_168L, "135K")]
    [InlineData(null, 13_516L, "13.5K")]
    [InlineData(null, 999L, "999")]
    [InlineData("26B-A4B", 25_000_000_000L, "26B-A4B")]
    [InlineData(null, null, null)]
    public void ParamsString_Facts_PrefersTheSizeLabel(string? label, long? count, string? expected) =>
        Assert.Equal(expected, LmStudioModelShapes.ParamsString(new CatalogModelFacts(null, null, label, count, null, null, false, null)));

    [Theory]
    [InlineData("length", false, "maxPredictedTokensReached")]
    [InlineData("stop", false, "eosFound")]
    [InlineData("stop", true, "stopStringFound")]
    [InlineData("tool_calls", false, "toolCalls")]
    [InlineData(null, false, null)]
    public void StopReason_FinishReason_InLmStudiosWords(string? finishReason, bool hasStop, string? expected) =>
        Assert.Equal(expected, LmStudioV0Extras.StopReason(finishReason, hasStop));

    [Fact]
    public void Stats_LlamaServerTimings_SecondsAndRate()
    {
        using var timings = JsonDocument.Parse("""{"prompt_n":28,"prompt_ms":73.5,"predicted_n":5,"predicted_ms":12.5,"predicted_per_second":400.0}""");

        var stats = LmStudioV0Extras.Stats(timings.RootElement, "length", requestHasStopStrings: false);

        Assert.Equal(new LmStudioV0Stats(400.0, 0.0735, 0.0125, "maxPredictedTokensReached"), stats);
        Assert.Equal(0.073454, LmStudioV0Extras.Stats(JsonDocument.Parse("""{"prompt_ms":73.454}""").RootElement, null, false).TimeToFirstToken);
    }

    [Fact]
    public void Stats_NoTimings_LeavesTheFiguresNull() =>
        Assert.Equal(new LmStudioV0Stats(null, null, null, "eosFound"), LmStudioV0Extras.Stats(null, "stop", requestHasStopStrings: false));

    [Fact]
    public void Runtime_Runners_NamesTheEngineAndItsVersion()
    {
        var cuda = new LmStudioRunner("m", "ready", 4096, 4, "cuda", "6123 (abcdef12)");

        Assert.Equal("llama.cpp-linux-x86_64", LmStudioV0Extras.Runtime(null, OSPlatform.Linux, Architecture.X64).Name);
        Assert.Null(LmStudioV0Extras.Runtime(null, OSPlatform.Linux, Architecture.X64).Version);
        var runtime = LmStudioV0Extras.Runtime(cuda, OSPlatform.OSX, Architecture.Arm64);
        Assert.Equal(("llama.cpp-mac-arm64-cuda", "6123 (abcdef12)"), (runtime.Name, runtime.Version));
        Assert.Equal(["gguf"], runtime.SupportedFormats);
    }

    [Theory]
    [InlineData("chat.llama.json", "chat.v0.json", true)]
    [InlineData("completion.llama.json", "completion.v0.json", false)]
    [InlineData("embed.llama.json", "embed.v0.json", false)]
    public void TranslateWhole_RealLlamaServerAnswer_AddsTheExtrasToCompletionsOnly(string input, string expected, bool hasStop)
    {
        var served = input.StartsWith("embed", StringComparison.Ordinal) ? "tiny-embed.gguf" : "tiny-chat";
        var translator = new LmStudioV0Translator("publisher/asked", new ModelNameRewriter(served, "publisher/asked"), hasStop);

        var output = translator.TranslateWhole(LmStudioGolden.Read(input), ModelInfo, Runtime);

        LmStudioGolden.AssertJson(expected, Encoding.UTF8.GetString(output));
    }

    [Theory]
    [InlineData("chat-stream-usage.llama.sse", "tiny-chat.gguf", "chat-stream-usage.v0.sse")]
    [InlineData("chat-stream-nousage.llama.sse", "tiny-chat", "chat-stream-nousage.v0.sse")]
    public void TranslateEvent_RealLlamaServerStream_PutsTheExtrasOnTheChunkWithTheTimings(string input, string served, string expected)
    {
        var translator = new LmStudioV0Translator("asked", new ModelNameRewriter(served, "asked"), requestHasStopStrings: false);
        var output = new ArrayBufferWriter<byte>();

        foreach (var sseEvent in LmStudioGolden.Events(LmStudioGolden.ReadText(input)))
        {
            var bytes = Encoding.UTF8.GetBytes(sseEvent);
            var last = LmStudioV0Translator.NeedsExtras(bytes);
            translator.TranslateEvent(bytes, output, last ? ModelInfo : null, last ? Runtime : null);
        }

        var transcript = Encoding.UTF8.GetString(output.WrittenSpan);
        LmStudioGolden.AssertSse(expected, transcript);
        Assert.Single(LmStudioGolden.Events(transcript), e => e.Contains("\"stats\"", StringComparison.Ordinal));
        Assert.Equal("data: [DONE]", LmStudioGolden.Events(transcript)[^1]);
    }

    [Fact]
    public void TranslateEvent_FirstChunkIsTheLastOneWithoutRole_GetsRoleAndExtras()
    {
        var translator = new LmStudioV0Translator("asked", new ModelNameRewriter("m", "asked"), requestHasStopStrings: false);
        var output = new ArrayBufferWriter<byte>();
        var only = ("data: {\"choices\":[{\"finish_reason\":\"stop\",\"index\":0,\"delta\":{}}],\"model\":\"m\",\"object\":\"chat.completion.chunk\","u8
            + "\"timings\":{\"prompt_n\":3,\"prompt_ms\":1.5,\"predicted_n\":1,\"predicted_ms\":2.0}}"u8).ToArray();

        translator.TranslateEvent(only, output, ModelInfo, Runtime);

        var chunk = JsonDocument.Parse(Encoding.UTF8.GetString(output.WrittenSpan).Trim()["data: ".Length..]).RootElement;
        Assert.Equal("assistant", chunk.GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
        Assert.True(chunk.TryGetProperty("stats", out _));
        Assert.Equal("asked", chunk.GetProperty("model").GetString());
    }

    [Theory]
    [InlineData("{\"model\":\"m\",\"ttl\":300}", "m", "300", false)]
    [InlineData("{\"model\":\"m\",\"ttl\":null,\"stop\":[\"Q:\"]}", "m", null, true)]
    [InlineData("{\"model\":\"m\",\"stop\":\"\"}", "m", null, false)]
    public void Parse_ValidBody_ReadsModelTtlAndStops(string body, string model, string? keepAlive, bool hasStop)
    {
        var (request, error) = LmStudioInferenceRequest.Parse(Encoding.UTF8.GetBytes(body));

        Assert.Null(error);
        Assert.Equal((model, keepAlive, hasStop), (request!.Model, request.KeepAlive?.GetRawText(), request.HasStopStrings));
    }

    [Theory]
    [InlineData("{\"model\":", "not valid JSON", null)]
    [InlineData("[1]", "must be a JSON object", null)]
    [InlineData("{\"messages\":[]}", "'model' is required", "model")]
    [InlineData("{\"model\":\"m\",\"ttl\":\"5m\"}", "'ttl' must be", "ttl")]
    [InlineData("{\"model\":\"m\",\"ttl\":-1}", "'ttl' must be", "ttl")]
    [InlineData("{\"model\":\"m\",\"ttl\":1.5}", "'ttl' must be", "ttl")]
    public void Parse_BadBody_Answers400InLmStudiosEnvelope(string body, string message, string? param)
    {
        var (request, error) = LmStudioInferenceRequest.Parse(Encoding.UTF8.GetBytes(body));

        Assert.Null(request);
        var json = Assert.IsType<JsonHttpResult<LmStudioErrorEnvelope>>(error);
        Assert.Equal((int)HttpStatusCode.BadRequest, json.StatusCode);
        Assert.Contains(message, json.Value!.Error.Message, StringComparison.Ordinal);
        Assert.Equal((LmStudioErrors.InvalidRequest, param), (json.Value.Error.Type, json.Value.Error.Param));
    }

    [Fact]
    public void InvalidModel_KnownModels_NamesUpToThreeAsLmStudioDoes()
    {
        var error = LmStudioErrors.InvalidModel("x", ["a", "b", "c", "d"]);

        Assert.Equal((int)HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal(
            new LmStudioErrorBody("Invalid model identifier \"x\". Please specify a valid downloaded model (e.g., a, b, c).", "invalid_request_error", "model", "model_not_found"),
            error.Value!.Error);
        Assert.Equal("Invalid model identifier \"x\". Please specify a valid downloaded model.", LmStudioErrors.InvalidModelMessage("x", []));
    }

    private static List<CatalogModelInfo> Catalog() => JsonSerializer.Deserialize<List<CatalogModelInfo>>(LmStudioGolden.Read("catalog.json"), Web)!;

    private static List<LmStudioRunner> Runners() => JsonSerializer.Deserialize<List<LmStudioRunner>>(LmStudioGolden.Read("runners.json"), Web)!;
}
