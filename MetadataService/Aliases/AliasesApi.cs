using LlamaAspire.MetadataService.Catalog;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LlamaAspire.MetadataService.Aliases;

/// <summary>Aliases: other names for catalogued models, kept across restarts (Ollama's /api/copy and /api/delete).</summary>
public static class AliasesApi
{
    public static RouteGroupBuilder MapAliasesApi(this IEndpointRouteBuilder app)
    {
        var aliases = app.MapGroup("/aliases");
        aliases.MapGet("/", List).WithName("Aliases.List");
        // Names may hold '/' (namespace/model:tag), hence catch-all routes.
        aliases.MapPut("/{**name}", Set).WithName("Aliases.Set");
        aliases.MapDelete("/{**name}", Remove).WithName("Aliases.Remove");
        return aliases;
    }

    public static Ok<IReadOnlyList<ModelAlias>> List(AliasStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return TypedResults.Ok(store.List());
    }

    /// <summary>Creates or retargets <paramref name="name"/>; the target is a model id or another alias.</summary>
    public static Results<Ok<ModelAlias>, BadRequest<ErrorResponse>, NotFound<ErrorResponse>, Conflict<ErrorResponse>, JsonHttpResult<ErrorResponse>> Set(
        string name, AliasTarget body, AliasStore store, ModelCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(catalog);
        if (AliasStore.Problem(name) is { } problem) return TypedResults.BadRequest(new ErrorResponse(problem));
        if (string.IsNullOrWhiteSpace(body.Target)) return TypedResults.BadRequest(new ErrorResponse("target is required"));
        if (catalog.Find(name) is not null) return TypedResults.Conflict(new ErrorResponse($"'{name}' is a model, not an alias; choose another name"));
        var target = catalog.Find(body.Target)?.Id ?? store.Find(body.Target)?.Target;
        if (target is null || catalog.Find(target) is null) return TypedResults.NotFound(new ErrorResponse($"model '{body.Target}' not found"));
        try
        {
            return TypedResults.Ok(store.Set(name, target));
        }
        catch (ArgumentException e)
        {
            return TypedResults.BadRequest(new ErrorResponse(e.Message));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return NotSaved(store, e);
        }
    }

    public static Results<NoContent, NotFound<ErrorResponse>, JsonHttpResult<ErrorResponse>> Remove(string name, AliasStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        try
        {
            return store.Remove(name) ? TypedResults.NoContent() : TypedResults.NotFound(new ErrorResponse($"alias '{name}' not found"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return NotSaved(store, e);
        }
    }

    private static JsonHttpResult<ErrorResponse> NotSaved(AliasStore store, Exception e) =>
        TypedResults.Json(new ErrorResponse($"could not save the aliases to {store.File}: {e.Message}"), statusCode: StatusCodes.Status500InternalServerError);
}
