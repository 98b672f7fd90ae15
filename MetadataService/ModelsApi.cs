using LlamaAspire.MetadataService.Catalog;
using LlamaAspire.MetadataService.Gguf;
using LlamaAspire.MetadataService.Inspection;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LlamaAspire.MetadataService;

public static class ModelsApi
{
    private const string TensorsSuffix = "/tensors";

    public static RouteGroupBuilder MapModelsApi(this IEndpointRouteBuilder app)
    {
        var models = app.MapGroup("/models");
        models.MapGet("/", ListModels).WithName("Models.List");
        models.MapPost("/rescan", Rescan).WithName("Models.Rescan");
        // Ids may hold a '/' (publisher/name), so one catch-all route serves both /models/{id} and /models/{id}/tensors.
        models.MapGet("/{**id}", GetModelOrTensors).WithName("Models.Get");
        models.MapDelete("/{**id}", DeleteModel).WithName("Models.Delete");
        return models;
    }

    public static Ok<IReadOnlyList<ModelSummary>> ListModels(ModelCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return TypedResults.Ok(catalog.List());
    }

    public static Ok<IReadOnlyList<ModelSummary>> Rescan(ModelCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return TypedResults.Ok(catalog.Refresh());
    }

    public static Results<Ok<ModelDetails>, Ok<ModelTensors>, NotFound<ErrorResponse>, UnprocessableEntity<ErrorResponse>> GetModelOrTensors(
        string id, bool? full, ModelCatalog catalog, ModelInspector inspector)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(inspector);
        try
        {
            // The live catalog, not a disk scan; the key/values still need the header, the facts come from the cache.
            // An exact id wins, so a model whose id really ends in "/tensors" stays reachable.
            if (catalog.Find(id) is { } model) return TypedResults.Ok(inspector.Describe(model, full == true));
            if (id.EndsWith(TensorsSuffix, StringComparison.OrdinalIgnoreCase) && catalog.Find(id[..^TensorsSuffix.Length]) is { } owner)
                return TypedResults.Ok(inspector.Tensors(owner));
            return TypedResults.NotFound(new ErrorResponse($"model '{id}' not found"));
        }
        catch (GgufFormatException e)
        {
            return TypedResults.UnprocessableEntity(new ErrorResponse($"model '{id}' is not a readable GGUF file: {e.Message}"));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return TypedResults.NotFound(new ErrorResponse($"model '{id}' not found"));
        }
    }

    /// <summary>Deletes the model's files, when the operator allowed it (see <see cref="ModelFileDeletion"/>).</summary>
    public static IResult DeleteModel(string id, ModelFileDeletion deletion)
    {
        ArgumentNullException.ThrowIfNull(deletion);
        var outcome = deletion.Delete(id);
        return outcome.Error is null
            ? TypedResults.Ok(new DeletedModel(id, outcome.DeletedFiles))
            : TypedResults.Json(new ErrorResponse(outcome.Error), statusCode: outcome.Status);
    }
}

public sealed record DeletedModel(string Id, IReadOnlyList<string> DeletedFiles);

public sealed record ErrorResponse(string Error);
