using System.Text.Json.Serialization;
using LlamaAspire.Gateway.Forwarding;
using LlamaAspire.Gateway.OpenAi;
using LlamaAspire.Gateway.Upstream;
using Microsoft.Extensions.Options;

namespace LlamaAspire.Gateway.Ollama;

/// <summary>
/// Ollama's OpenAI-compatible layer on its own port: the OpenAI relay with Ollama's names ("tiny-chat:latest"),
/// and /v1/models listing them as Ollama does (owned_by "library").
/// </summary>
public static class OllamaOpenAiApi
{
    public static RouteGroupBuilder MapOllamaOpenAiApi(this RouteGroupBuilder ollama)
    {
        ollama.MapPost("/v1/chat/completions", (HttpContext c, OllamaModelLookup l, LeasedSend s, LlamaServerPassthrough p, IOptions<GatewayOptions> o) =>
            ForwardAsync(c, "/v1/chat/completions", l, s, p, o)).WithName("Ollama.OpenAi.ChatCompletions");
        ollama.MapPost("/v1/completions", (HttpContext c, OllamaModelLookup l, LeasedSend s, LlamaServerPassthrough p, IOptions<GatewayOptions> o) =>
            ForwardAsync(c, "/v1/completions", l, s, p, o)).WithName("Ollama.OpenAi.Completions");
        ollama.MapPost("/v1/embeddings", (HttpContext c, OllamaModelLookup l, LeasedSend s, LlamaServerPassthrough p, IOptions<GatewayOptions> o) =>
            ForwardAsync(c, "/v1/embeddings", l, s, p, o)).WithName("Ollama.OpenAi.Embeddings");
        ollama.MapGet("/v1/models", ListModelsAsync).WithName("Ollama.OpenAi.Models");
        ollama.MapGet("/v1/models/{**model}", GetModelAsync).WithName("Ollama.OpenAi.Model");
        return ollama;
    }

    public static async Task<IResult> ForwardAsync(
        HttpContext context, string path, OllamaModelLookup lookup, LeasedSend send, LlamaServerPassthrough passthrough, IOptions<GatewayOptions> options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(lookup);
        ArgumentNullException.ThrowIfNull(options);
        await lookup.Aliases.RefreshIfStaleAsync(lookup.Catalog, context.RequestAborted);
        return await OpenAiForwarding.ForwardAsync(context, path, send, passthrough, options.Value,
            name => OllamaModelNames.Normalize(name) is { } normalized ? lookup.Aliases.Candidates(normalized) : []);
    }

    public static async Task<IResult> ListModelsAsync(OllamaCatalogClient catalog, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        try
        {
            var models = await catalog.ListAsync(ct);
            return TypedResults.Json(new OllamaOpenAiModelList([.. models.Select(Describe)]));
        }
        catch (MetadataUnavailableException e)
        {
            return TypedResults.Json(new OpenAiErrorResponse(new OpenAiError(e.Message, "api_error")), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    public static async Task<IResult> GetModelAsync(string model, OllamaCatalogClient catalog, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        try
        {
            var models = await catalog.ListAsync(ct);
            return OllamaModelNames.Find(model, models) is { } entry
                ? TypedResults.Json(Describe(entry))
                : TypedResults.Json(new OpenAiErrorResponse(new OpenAiError($"model \"{model}\" not found", "invalid_request_error", Code: "model_not_found")),
                    statusCode: StatusCodes.Status404NotFound);
        }
        catch (MetadataUnavailableException e)
        {
            return TypedResults.Json(new OpenAiErrorResponse(new OpenAiError(e.Message, "api_error")), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    private static OllamaOpenAiModel Describe(CatalogEntry model) =>
        new(OllamaModelNames.ToOllamaName(model.Id), model.ModifiedAt.ToUnixTimeSeconds());
}

/// <summary>GET /v1/models on the Ollama port, in Ollama's words.</summary>
public sealed record OllamaOpenAiModelList(
    [property: JsonPropertyName("data")] IReadOnlyList<OllamaOpenAiModel> Data,
    [property: JsonPropertyName("object")] string ObjectType = "list");

public sealed record OllamaOpenAiModel(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("created")] long Created,
    [property: JsonPropertyName("object")] string ObjectType = "model",
    [property: JsonPropertyName("owned_by")] string OwnedBy = "library");
