using LlamaAspire.MetadataService.Catalog;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LlamaAspire.MetadataService;

public static class ModelsApi
{
    public static RouteGroupBuilder MapModelsApi(this IEndpointRouteBuilder app)
    {
        var models = app.MapGroup("/models");
        models.MapGet("/", ListModels).WithName("Models.List");
        models.MapGet("/{**id}", GetModel).WithName("Models.Get");
        return models;
    }

    public static Ok<IReadOnlyList<ModelFile>> ListModels(ModelFileScanner scanner) => TypedResults.Ok(scanner.Scan());

    public static Results<Ok<ModelFile>, NotFound<ErrorResponse>> GetModel(string id, ModelFileScanner scanner) =>
        scanner.Find(id) is { } model
            ? TypedResults.Ok(model)
            : TypedResults.NotFound(new ErrorResponse($"model '{id}' not found"));
}

public sealed record ErrorResponse(string Error);
