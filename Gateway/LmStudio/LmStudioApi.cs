using LlamaAspire.Gateway.Listeners;
using LlamaAspire.Gateway.Upstream;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LlamaAspire.Gateway.LmStudio;

/// <summary>The LM Studio API on its own port (1234 by default).</summary>
public static class LmStudioApi
{
    public const string ModelListUnavailable = "Could not list models: the model catalog (MetadataService) is unavailable.";

    public static RouteGroupBuilder MapLmStudioApi(this IEndpointRouteBuilder app)
    {
        var lmStudio = app.MapGroup("").RequireListener(ListenerPorts.LmStudio);
        lmStudio.MapGet("/v1/models", ListModelsAsync).WithName("LmStudio.Models");
        Anthropic.AnthropicApi.MapAnthropicMessagesApi(Responses.ResponsesApi.MapResponsesApi(lmStudio));   // POST /v1/responses, /v1/messages
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

    public static Ok<LmStudioError> UnexpectedEndpoint(HttpRequest request) =>
        TypedResults.Ok(new LmStudioError($"Unexpected endpoint or method. ({request.Method} {request.Path})"));
}
