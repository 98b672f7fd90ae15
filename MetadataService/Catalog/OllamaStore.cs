using System.Text.Json;

namespace LlamaAspire.MetadataService.Catalog;

/// <summary>
/// Models in an Ollama store: manifests/registry.ollama.ai/&lt;ns&gt;/&lt;model&gt;/&lt;tag&gt; name the GGUF blob of their
/// model layer. Ids keep Ollama's own names (<c>model:tag</c>, or <c>ns/model:tag</c> outside the library namespace).
/// </summary>
public static class OllamaStore
{
    private const string ModelMediaType = "application/vnd.ollama.image.model";
    private const string Registry = "registry.ollama.ai";

    public static IReadOnlyList<ModelFile> Scan(string modelsDir, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(modelsDir);
        var manifests = Path.Combine(modelsDir, "manifests", Registry);
        if (!Directory.Exists(manifests)) return [];
        var models = new List<ModelFile>();
        foreach (var manifest in Directory.EnumerateFiles(manifests, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true }))
        {
            var parts = Path.GetRelativePath(manifests, manifest).Split(Path.DirectorySeparatorChar);
            if (parts.Length != 3) continue;
            var blob = ModelBlob(modelsDir, manifest, logger);
            if (blob is null) continue;
            var info = new FileInfo(blob);
            var name = parts[0] == "library" ? parts[1] : $"{parts[0]}/{parts[1]}";
            models.Add(new ModelFile($"{name}:{parts[2]}", blob, info.Length, info.LastWriteTimeUtc, 1));
        }
        return models;
    }

    private static string? ModelBlob(string modelsDir, string manifest, ILogger logger)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(manifest));
            if (!document.RootElement.TryGetProperty("layers", out var layers) || layers.ValueKind != JsonValueKind.Array) return null;
            foreach (var layer in layers.EnumerateArray())
            {
                if (layer.ValueKind != JsonValueKind.Object
                    || !layer.TryGetProperty("mediaType", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != ModelMediaType
                    || !layer.TryGetProperty("digest", out var digest) || digest.ValueKind != JsonValueKind.String)
                    continue;
                var hex = digest.GetString()!.Split(':');
                if (hex is not ["sha256", { Length: 64 } value] || !value.All(char.IsAsciiHexDigit)) return null;
                var blob = Path.Combine(modelsDir, "blobs", $"sha256-{value}");
                return File.Exists(blob) ? blob : null;
            }
            return null;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            Log.UnreadableManifest(logger, manifest, e.Message);
            return null;
        }
    }
}
