using LlamaAspire.Gateway.Anthropic;
using LlamaAspire.Gateway.Listeners;
using LlamaAspire.Gateway.Responses;
using LlamaAspire.Gateway.Upstream;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LlamaAspire.Gateway.LmStudio;

/// <summary>
/// The LM Studio API on its own port (1234 by default): the OpenAI-compatible /v1 routes, REST v0 and v1 (in
/// <see cref="LmStudioRestApi"/>), and LM Studio's 200 answer to anything else.
/// </summary>
public static class LmStudioApi
{
    public const string ModelListUnavailable = "Could not list models: the model catalog (MetadataService) is unavailable.";

    public static RouteGroupBuilder MapLmStudioApi(this IEndpointRouteBuilder app)
    {
        var lmStudio = app.MapGroup("").RequireListener(ListenerPorts.LmStudio);
        lmStudio.MapGet("/v1/models", ListModelsAsync).WithName("LmStudio.Models");
        lmStudio.MapPost("/v1/chat/completions", ChatCompletionsAsync).WithName("LmStudio.ChatCompletions");
        lmStudio.MapPost("/v1/completions", CompletionsAsync).WithName("LmStudio.Completions");
        lmStudio.MapPost("/v1/embeddings", EmbeddingsAsync).WithName("LmStudio.Embeddings");
        lmStudio.MapPost("/api/v0/chat/completions", V0ChatCompletionsAsync).WithName("LmStudio.V0.ChatCompletions");
        lmStudio.MapPost("/api/v0/completions", V0CompletionsAsync).WithName("LmStudio.V0.Completions");
        lmStudio.MapPost("/api/v0/embeddings", V0EmbeddingsAsync).WithName("LmStudio.V0.Embeddings");
        lmStudio.MapLmStudioRestApi();
        lmStudio.MapLmStudioV1Chat();
        lmStudio.MapResponsesApi();
        lmStudio.MapAnthropicMessagesApi();
        // "{*path}", not MapFallback's default "{*path:nonfile}": paths with a dot (/favicon.ico, /v1/models/qwen2.5-7b) are unknown routes too.
        lmStudio.MapFallback("{*path}", UnexpectedEndpoint).WithName("LmStudio.UnexpectedEndpoint");
        return lmStudio;
    }

    public static async Task<Results<Ok<LmStudioModelList>, JsonHttpResult<LmStudioError>>> ListModelsAsync(MetadataClient metadata, CancellationToken ct)
    {
        try
        {
            var models = await metadata.ListModelsAsync(ct);
            return TypedResults.Ok(new LmStudioModelList([.. models.Select(m => new LmStudioModel(m.Id))]));
        }
        catch (MetadataUnavailableException)
        {
            return TypedResults.Json(new LmStudioError(ModelListUnavailable), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    public static Task<IResult> ChatCompletionsAsync(HttpContext context, LmStudioInference inference) =>
        inference.ForwardAsync(context, "/v1/chat/completions");

    public static Task<IResult> CompletionsAsync(HttpContext context, LmStudioInference inference) =>
        inference.ForwardAsync(context, "/v1/completions");

    public static Task<IResult> EmbeddingsAsync(HttpContext context, LmStudioInference inference) =>
        inference.ForwardAsync(context, "/v1/embeddings");

    public static Task<IResult> V0ChatCompletionsAsync(HttpContext context, LmStudioInference inference) =>
        inference.ForwardV0Async(context, "/v1/chat/completions");

    public static Task<IResult> V0CompletionsAsync(HttpContext context, LmStudioInference inference) =>
        inference.ForwardV0Async(context, "/v1/completions");

    public static Task<IResult> V0EmbeddingsAsync(HttpContext context, LmStudioInference inference) =>
        inference.ForwardV0Async(context, "/v1/embeddings");

    public static Ok<LmStudioError> UnexpectedEndpoint(HttpRequest request) =>
        TypedResults.Ok(new LmStudioError($"Unexpected endpoint or method. ({request.Method} {request.Path})"));
}
