using LlamaAspire.Gateway.Upstream;
using Microsoft.Extensions.Options;

namespace LlamaAspire.Gateway.Ollama;

/// <summary>
/// /api/copy and /api/delete. A copy is an alias kept by MetadataService across restarts: it lists in /api/tags as its
/// own model and shares its target's llama-server. Deleting an alias removes the name; deleting a model deletes its
/// files, which MetadataService does only when the operator switched it on. Both answer 200 with an empty body, as
/// Ollama does.
/// </summary>
public static class OllamaCopyDeleteApi
{
    public const string SourceAndDestinationRequired = "source and destination are required";

    public static RouteGroupBuilder MapOllamaCopyDeleteApi(this RouteGroupBuilder ollama)
    {
        ArgumentNullException.ThrowIfNull(ollama);
        ollama.MapPost("/api/copy", CopyAsync).WithName("Ollama.Copy");
        ollama.MapDelete("/api/delete", DeleteAsync).WithName("Ollama.Delete");
        return ollama;
    }

    public static async Task<IResult> CopyAsync(HttpRequest request, OllamaModelLookup lookup, IOptions<GatewayOptions> options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        ArgumentNullException.ThrowIfNull(options);
        var (body, error) = await OllamaRequest.ReadAsync<OllamaCopyRequest>(request, options.Value.MaxRequestBodyBytes, ct);
        if (error is not null) return error;
        if (string.IsNullOrWhiteSpace(body!.Source) || string.IsNullOrWhiteSpace(body.Destination))
            return OllamaRequest.Error(StatusCodes.Status400BadRequest, SourceAndDestinationRequired);
        if (OllamaModelNames.Normalize(body.Destination) is not { } destination)
            return OllamaRequest.Error(StatusCodes.Status400BadRequest, $"destination \"{body.Destination}\" is invalid");
        try
        {
            var models = await lookup.Catalog.ListAsync(ct);
            if (OllamaModelNames.Find(body.Source, models) is not { } source)
                return OllamaRequest.Error(StatusCodes.Status404NotFound, $"model \"{body.Source}\" not found");
            if (OllamaModelNames.Find(destination, models) is { AliasOf: null } file)
                return OllamaRequest.Error(StatusCodes.Status400BadRequest,
                    $"destination \"{body.Destination}\" is a model file ({file.Path}), not a copy; choose another name");
            var refusal = await lookup.Catalog.SetAliasAsync(destination, source.CatalogId, ct);
            lookup.Aliases.Invalidate();
            return refusal is null ? TypedResults.Ok() : OllamaRequest.Error(refusal.Status, refusal.Message);
        }
        catch (MetadataUnavailableException)
        {
            return OllamaRequest.Error(StatusCodes.Status503ServiceUnavailable, OllamaModelsApi.CatalogUnavailable);
        }
    }

    public static async Task<IResult> DeleteAsync(HttpRequest request, OllamaModelLookup lookup, IOptions<GatewayOptions> options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        ArgumentNullException.ThrowIfNull(options);
        var (body, error) = await OllamaRequest.ReadAsync<OllamaDeleteRequest>(request, options.Value.MaxRequestBodyBytes, ct);
        if (error is not null) return error;
        var requested = string.IsNullOrEmpty(body!.Model) ? body.Name : body.Model;
        if (string.IsNullOrWhiteSpace(requested)) return OllamaRequest.Error(StatusCodes.Status400BadRequest, OllamaModelsApi.ModelRequired);
        if (OllamaModelNames.Normalize(requested) is null) return OllamaRequest.Error(StatusCodes.Status400BadRequest, $"name \"{requested}\" is invalid");
        try
        {
            if (OllamaModelNames.Find(requested, await lookup.Catalog.ListAsync(ct)) is not { } model)
                return OllamaRequest.Error(StatusCodes.Status404NotFound, $"model '{requested}' not found");
            if (model.AliasOf is not null)
            {
                var aliasRefusal = await lookup.Catalog.RemoveAliasAsync(model.Id, ct);
                lookup.Aliases.Invalidate();
                return aliasRefusal is null ? TypedResults.Ok() : OllamaRequest.Error(aliasRefusal.Status, aliasRefusal.Message);
            }
            var refusal = await lookup.Catalog.DeleteModelAsync(model.Id, ct);
            if (refusal is not null) return OllamaRequest.Error(refusal.Status, refusal.Message);
            lookup.Aliases.Invalidate();
            // Its llama-server may still map the deleted file; it goes once its requests end, like any unload.
            await lookup.Agent.UnloadAsync(model.Id, ct);
            return TypedResults.Ok();
        }
        catch (MetadataUnavailableException)
        {
            return OllamaRequest.Error(StatusCodes.Status503ServiceUnavailable, OllamaModelsApi.CatalogUnavailable);
        }
    }
}
