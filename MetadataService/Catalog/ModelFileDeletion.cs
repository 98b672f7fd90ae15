using LlamaAspire.MetadataService.Aliases;
using Microsoft.Extensions.Options;

namespace LlamaAspire.MetadataService.Catalog;

/// <summary>The outcome of a delete: the files removed, or why nothing was (<see cref="Status"/> 403/404/500).</summary>
public sealed record ModelDeletion(int Status, string? Error, IReadOnlyList<string> DeletedFiles);

/// <summary>
/// Deletes a model's files (all shards) when the operator allowed it, and only inside the configured model folders:
/// LM Studio's, Ollama's and llama.cpp's stores belong to those apps. Aliases of the model go with it.
/// </summary>
public sealed class ModelFileDeletion(ModelCatalog catalog, AliasStore aliases, IOptionsMonitor<MetadataOptions> options, ILogger<ModelFileDeletion> logger)
{
    public ModelDeletion Delete(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (catalog.Find(id) is not { } model) return new(StatusCodes.Status404NotFound, $"model '{id}' not found", []);
        var settings = options.CurrentValue;
        if (!settings.AllowFileDeletion)
            return new(StatusCodes.Status403Forbidden,
                $"deleting model files is switched off; model '{model.Id}' stays ({model.Path}). Set Metadata:AllowFileDeletion (AppHost: --allow-delete-files) to allow it", []);
        var shards = ModelFileScanner.ShardPaths(model);
        if (!shards.All(path => settings.ModelDirs.Any(dir => IsInside(path, dir))))
            return new(StatusCodes.Status403Forbidden, $"model '{model.Id}' is in another app's store ({model.Path}), not in a configured models folder; delete it there", []);
        var deleted = new List<string>();
        try
        {
            foreach (var shard in shards.Where(File.Exists))
            {
                File.Delete(shard);
                deleted.Add(shard);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            catalog.Refresh();
            return new(StatusCodes.Status500InternalServerError, $"could not delete model '{model.Id}': {e.Message}", deleted);
        }
        aliases.RemoveTarget(model.Id);
        catalog.Refresh();
        Log.ModelDeleted(logger, model.Id, string.Join(", ", deleted));
        return new(StatusCodes.Status200OK, null, deleted);
    }

    private static bool IsInside(string path, string dir)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(dir)) + Path.DirectorySeparatorChar;
        return Path.GetFullPath(path).StartsWith(root, StringComparison.Ordinal);
    }
}
