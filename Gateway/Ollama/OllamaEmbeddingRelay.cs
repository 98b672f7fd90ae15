using System.Text.Json;
using LlamaAspire.Gateway.Forwarding;
using LlamaAspire.Gateway.Upstream;

namespace LlamaAspire.Gateway.Ollama;

/// <summary>/api/embed and /api/embeddings: lease the model, send llama-server's /v1/embeddings request, translate its answer.</summary>
public sealed partial class OllamaEmbeddingRelay(OllamaModelLookup lookup, IHttpClientFactory clients, TimeProvider time, ILogger<OllamaEmbeddingRelay> logger)
{
    private const string JsonType = "application/json; charset=utf-8";

    public async Task<IResult> RunAsync(
        HttpContext context, string model, TimeSpan? keepAlive, int? contextLength, OllamaLoadAction loadAction, byte[] loadAnswer,
        OllamaEmbedInputs inputs, LlamaServerCall call, Func<JsonElement, string, TimeSpan, TimeSpan, byte[]> translate)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(translate);
        var ct = context.RequestAborted;
        var started = time.GetTimestamp();
        if (loadAction == OllamaLoadAction.Unload)
        {
            await OllamaUpstream.UnloadAsync(lookup, model, ct);
            return Results.Bytes(loadAnswer, JsonType);
        }

        var (lease, error) = await OllamaUpstream.AcquireAsync(lookup, model, contextLength, keepAlive, ct);
        if (lease is null) return OllamaUpstream.Answer(error!);
        var load = time.GetElapsedTime(started);
        await using var held = new HeldLease(lookup.Agent, lease, time);
        if (loadAction == OllamaLoadAction.Load) return Results.Bytes(loadAnswer, JsonType);

        var llamaServer = clients.CreateClient(LlamaServerPassthrough.ClientName);
        try
        {
            var (fitted, tooLong) = await OllamaEmbedFit.FitAsync(llamaServer, lease.Endpoint, inputs.Texts, inputs.Truncate, lease.ContextLength, ct);
            if (tooLong is not null) return OllamaUpstream.Answer(tooLong);
            if (fitted is not null) call.Body["input"] = fitted;
            using var request = call.ToRequest(lease.Endpoint);
            using var response = await llamaServer.SendAsync(request, ct);
            var body = await response.Content.ReadAsByteArrayAsync(ct);
            if (!response.IsSuccessStatusCode) return OllamaUpstream.Answer(OllamaErrors.FromLlamaServer((int)response.StatusCode, body));
            using var json = JsonDocument.Parse(body);
            return Results.Bytes(translate(json.RootElement, model, time.GetElapsedTime(started), load), JsonType);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException)
        {
            LogFailed(logger, lease.Endpoint, e);
            return OllamaRequest.Error(StatusCodes.Status500InternalServerError, $"embedding with \"{model}\" failed: {e.Message}");
        }
    }

    [LoggerMessage(1310, LogLevel.Warning, "Embedding at {Endpoint} failed.")]
    private static partial void LogFailed(ILogger logger, Uri endpoint, Exception exception);
}

/// <summary>The texts to embed and Ollama's "truncate" (absent means true).</summary>
public sealed record OllamaEmbedInputs(IReadOnlyList<string> Texts, bool Truncate);
