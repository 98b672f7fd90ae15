using System.Text.Json;
using LlamaAspire.Gateway.Upstream;
using Microsoft.Extensions.Options;

namespace LlamaAspire.Gateway.Ollama;

/// <summary>
/// /api/chat, /api/generate, /api/embed and /api/embeddings: parse, lease the model, translate, relay. Streams are
/// NDJSON written and flushed line by line as llama-server's events arrive; nothing is buffered but one event.
/// </summary>
public static class OllamaInferenceApi
{
    public static RouteGroupBuilder MapOllamaInferenceApi(this RouteGroupBuilder ollama)
    {
        ollama.MapPost("/api/chat", ChatAsync).WithName("Ollama.Chat");
        ollama.MapPost("/api/generate", GenerateAsync).WithName("Ollama.Generate");
        ollama.MapPost("/api/embed", EmbedAsync).WithName("Ollama.Embed");
        ollama.MapPost("/api/embeddings", EmbeddingsAsync).WithName("Ollama.Embeddings");
        return ollama;
    }

    public static async Task<IResult> ChatAsync(HttpContext context, OllamaGenerationRelay relay, OllamaCatalogClient catalog, IOptions<GatewayOptions> options)
    {
        ArgumentNullException.ThrowIfNull(relay);
        var (body, error) = await ReadAsync(context, options.Value);
        if (error is not null) return error;
        var parsed = OllamaRequestParser.ParseChat(body.Span);
        if (!parsed.IsValid) return OllamaRequest.Error(StatusCodes.Status400BadRequest, parsed.Error!);
        var request = parsed.Request!;
        if (await OllamaCapabilityCheck.RefuseAsync(catalog, request.ModelName, OllamaCapabilityCheck.Needed(request), context.RequestAborted) is { } unable)
            return OllamaUpstream.Answer(unable);
        return await relay.RunAsync(context, new OllamaGeneration(
            request.ModelName, OllamaAnswerKind.Chat, request.Streams, parsed.Options, parsed.KeepAlive,
            OllamaLoadRequests.Classify(request, parsed.KeepAlive),
            () => OllamaChatTranslator.ToLlamaServer(request, parsed.Options)));
    }

    public static async Task<IResult> GenerateAsync(HttpContext context, OllamaGenerationRelay relay, OllamaCatalogClient catalog, IOptions<GatewayOptions> options)
    {
        ArgumentNullException.ThrowIfNull(relay);
        var (body, error) = await ReadAsync(context, options.Value);
        if (error is not null) return error;
        var parsed = OllamaRequestParser.ParseGenerate(body.Span);
        if (!parsed.IsValid) return OllamaRequest.Error(StatusCodes.Status400BadRequest, parsed.Error!);
        var request = parsed.Request!;
        if (await OllamaCapabilityCheck.RefuseAsync(catalog, request.ModelName, OllamaCapabilityCheck.Needed(request), context.RequestAborted) is { } unable)
            return OllamaUpstream.Answer(unable);
        return await relay.RunAsync(context, new OllamaGeneration(
            request.ModelName, OllamaAnswerKind.Generate, request.Streams, parsed.Options, parsed.KeepAlive,
            OllamaLoadRequests.Classify(request, parsed.KeepAlive),
            () => OllamaGenerateTranslator.ToLlamaServer(request, parsed.Options)));
    }

    public static async Task<IResult> EmbedAsync(HttpContext context, OllamaEmbeddingRelay relay, IOptions<GatewayOptions> options)
    {
        ArgumentNullException.ThrowIfNull(relay);
        var (body, error) = await ReadAsync(context, options.Value);
        if (error is not null) return error;
        var parsed = OllamaRequestParser.ParseEmbed(body.Span);
        if (!parsed.IsValid) return OllamaRequest.Error(StatusCodes.Status400BadRequest, parsed.Error!);
        var request = parsed.Request!;
        return await relay.RunAsync(context, request.ModelName, parsed.KeepAlive, parsed.Options.NumCtx,
            OllamaLoadRequests.Classify(request, parsed.KeepAlive), OllamaLoadRequests.EmbedAnswer(request.ModelName),
            new OllamaEmbedInputs(request.Inputs, request.Truncate != false), OllamaEmbedTranslator.ToLlamaServer(request.Inputs),
            (json, model, total, load) => OllamaJson.Serialize(OllamaEmbedTranslator.FromLlamaServer(json, model, request.Dimensions, total, load)));
    }

    public static async Task<IResult> EmbeddingsAsync(HttpContext context, OllamaEmbeddingRelay relay, IOptions<GatewayOptions> options)
    {
        ArgumentNullException.ThrowIfNull(relay);
        var (body, error) = await ReadAsync(context, options.Value);
        if (error is not null) return error;
        var parsed = OllamaRequestParser.ParseEmbeddings(body.Span);
        if (!parsed.IsValid) return OllamaRequest.Error(StatusCodes.Status400BadRequest, parsed.Error!);
        var request = parsed.Request!;
        return await relay.RunAsync(context, request.ModelName, parsed.KeepAlive, parsed.Options.NumCtx,
            OllamaLoadRequests.Classify(request, parsed.KeepAlive), OllamaLoadRequests.EmbeddingsAnswer(),
            new OllamaEmbedInputs([request.Prompt ?? ""], Truncate: true), OllamaEmbedTranslator.ToLlamaServer(request),
            (json, _, _, _) => OllamaJson.Serialize(OllamaEmbedTranslator.FromLlamaServerLegacy(json)));
    }

    private static Task<(ReadOnlyMemory<byte> Bytes, IResult? Error)> ReadAsync(HttpContext context, GatewayOptions options) =>
        OllamaRequest.ReadBytesAsync(context.Request, options.MaxRequestBodyBytes, context.RequestAborted);
}

/// <summary>One chat or generate request, parsed: what to lease, and how to build llama-server's request once leased.</summary>
public sealed record OllamaGeneration(
    string Model,
    OllamaAnswerKind Kind,
    bool Streams,
    OllamaRuntimeOptions Options,
    TimeSpan? KeepAlive,
    OllamaLoadAction LoadAction,
    Func<LlamaServerCall> Translate);
