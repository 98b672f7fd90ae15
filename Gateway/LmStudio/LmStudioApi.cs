using LlamaAspire.Gateway.Listeners;
using LlamaAspire.Gateway.Upstream;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LlamaAspire.Gateway.LmStudio;

/// <summary>The LM Studio API on its own port (1234 by default).</summary>
public static class LmStudioApi
{
    public static RouteGroupBuilder MapLmStudioApi(this IEndpointRouteBuilder app)
    {
        var lmStudio = app.MapGroup("").RequireListener(ListenerPorts.LmStudio);
        lmStudio.MapGet("/v1/models", ListModelsAsync).WithName("LmStudio.Models");
        lmStudio.MapFallback(UnexpectedEndpoint).WithName("LmStudio.UnexpectedEndpoint");
        return lmStudio;
    }

    public static async Task<Ok<LmStudioModelList>> ListModelsAsync(MetadataClient metadata, CancellationToken ct)
    {
        var models = await metadata.ListModelsAsync(ct);
        return TypedResults.Ok(new LmStudioModelList([.. models.Select(m => new LmStudioModel(m.Id))]));
    }

    public static Ok<LmStudioUnexpectedEndpoint> UnexpectedEndpoint(HttpRequest request) =>
        TypedResults.Ok(new LmStudioUnexpectedEndpoint($"Unexpected endpoint or method. ({request.Method} {request.Path})"));
}
