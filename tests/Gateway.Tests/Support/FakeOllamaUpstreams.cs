using System.Text.Json;
using System.Text.Json.Nodes;
using LlamaAspire.TestSupport.Network;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LlamaAspire.Gateway.Tests.Support;

/// <summary>
/// MetadataService and RunnerAgent stand-ins in their real JSON shapes, holding three models: a GGUF file without a tag,
/// an Ollama-store model with one (still being hashed) and an embedding model whose id has a '/'.
/// </summary>
internal static class FakeOllamaUpstreams
{
    public const string QwenId = "qwen2.5-0.5b-instruct";
    public const string QwenHex = "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90";
    public const string QwenTemplate = "{% for m in messages %}{{ m.content }}{% endfor %}{% if tools %}{{ tools }}{% endif %}";
    public const string LlamaId = "llama3.2:1b";
    public const string EmbedId = "nomic-ai/nomic-embed-text-v1.5";

    private static readonly string[] Tokens = ["a", "b", "<|im_end|>", "<|endoftext|>", "x", "y"];

    public static JsonArray Catalog() =>
    [
        Summary(QwenId, "/models/qwen2.5-0.5b-instruct-q4_k_m.gguf", 397_807_936, "2026-01-02T03:04:05.5Z", $"sha256:{QwenHex.ToUpperInvariant()}",
            Facts("qwen2", 494_032_768, "Q4_K_M", 32768, QwenTemplate, "completion", "tools")),
        Summary(LlamaId, "/ollama/blobs/sha256-1111", 1_321_098_329, "2026-03-01T00:00:00Z", digest: null,
            Facts("llama", 1_235_814_400, "Q8_0", 131072, "{{ .Prompt }}", "completion")),
        Summary(EmbedId, "/models/nomic-ai/nomic-embed-text-v1.5.f16.gguf", 274_290_560, "2025-12-01T00:00:00Z", "sha256:" + new string('e', 64),
            Facts("nomic-bert", 136_731_648, "F16", 2048, null, "embedding")),
    ];

    public static Task<LoopbackWebServer> StartMetadataAsync(CancellationToken ct) =>
        LoopbackWebServer.StartAsync(app =>
        {
            app.MapGet("/models", () => Results.Text(Catalog().ToJsonString(), "application/json"));
            app.MapGet("/aliases", () => Results.Text("[]", "application/json"));
            app.MapGet("/models/{**id}", (string id, bool? full) => Details(id, full == true) is { } details
                ? Results.Text(details.ToJsonString(), "application/json")
                : Results.Json(new { error = $"model '{id}' not found" }, statusCode: 404));
        }, ct);

    /// <summary>qwen ready with an idle expiry, llama loading (no expiry yet), the embedder queued: only the first two have a process.</summary>
    public static Task<LoopbackWebServer> StartRunnerAgentAsync(CancellationToken ct) =>
        LoopbackWebServer.StartAsync(app => app.MapGet("/runners", () => Results.Text(RunnersJson, "application/json")), ct);

    public const string QwenExpiresAt = "2026-11-22T12:00:00Z";

    private static readonly string RunnersJson = JsonSerializer.Serialize(new object[]
    {
        Runner(QwenId, "ready", 4096, QwenExpiresAt, 600_000_000, 450_000_000),
        Runner(LlamaId, "loading", 8192, null, 1_500_000_000, null),
        Runner(EmbedId, "queued", 2048, null, 300_000_000, null),
    });

    private static JsonObject? Details(string id, bool full)
    {
        var summary = Catalog().OfType<JsonObject>().FirstOrDefault(m => (string?)m["id"] == id);
        if (summary is null) return null;
        var details = (JsonObject)summary.DeepClone();
        details["ggufVersion"] = 3;
        details["metadata"] = id == QwenId ? QwenMetadata(full) : new JsonObject { ["general.architecture"] = (string?)summary["facts"]?["architecture"] };
        return details;
    }

    private static JsonObject QwenMetadata(bool full) => new()
    {
        ["general.architecture"] = "qwen2",
        ["general.name"] = "Qwen2.5 0.5B Instruct",
        ["general.basename"] = "Qwen2.5",
        ["general.license"] = "apache-2.0",
        ["general.file_type"] = 15,
        ["general.tags"] = new JsonArray("chat", "text-generation"),
        ["qwen2.context_length"] = 32768,
        ["qwen2.rope.freq_base"] = 1000000.5,
        ["tokenizer.chat_template"] = QwenTemplate,
        ["tokenizer.ggml.eos_token_id"] = 2,
        ["tokenizer.ggml.bos_token_id"] = 3,
        ["tokenizer.ggml.tokens"] = full ? new JsonArray([.. Tokens.Select(t => JsonValue.Create(t))]) : new JsonObject { ["elementType"] = "string", ["count"] = Tokens.Length },
    };

    private static JsonObject Summary(string id, string path, long size, string modifiedAt, string? digest, JsonObject facts) => new()
    {
        ["id"] = id,
        ["path"] = path,
        ["sizeBytes"] = size,
        ["modifiedAt"] = modifiedAt,
        ["shardCount"] = 1,
        ["digest"] = digest,
        ["facts"] = facts,
    };

    private static JsonObject Facts(string architecture, long parameterCount, string quantization, long contextLength, string? template, params string[] capabilities) => new()
    {
        ["architecture"] = architecture,
        ["parameterCount"] = parameterCount,
        ["tensorCount"] = 10,
        ["quantization"] = quantization,
        ["contextLength"] = contextLength,
        ["chatTemplate"] = template,
        ["capabilities"] = new JsonArray([.. capabilities.Select(c => JsonValue.Create(c))]),
    };

    private static object Runner(string model, string state, int contextLength, string? expiresAt, long estimate, long? measured) => new
    {
        model,
        state,
        endpoint = state == "queued" ? null : "http://127.0.0.1:1",
        port = (int?)null,
        pid = (int?)null,
        contextLength,
        parallel = 1,
        startedAt = (string?)null,
        lastUsedAt = "2026-11-22T11:55:00Z",
        expiresAt,
        inFlight = 0,
        queued = 0,
        memoryEstimateBytes = estimate,
        memoryBytes = measured,
        runtime = "cpu",
        runtimePath = "/usr/bin/llama-server",
        runtimeVersion = (string?)null,
        loadProgress = (double?)null,
    };
}
