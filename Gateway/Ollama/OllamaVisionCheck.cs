using LlamaAspire.Gateway.Upstream;

namespace LlamaAspire.Gateway.Ollama;

/// <summary>
/// Images sent to a model without a vision projector get a clear 400 before anything loads, instead of llama-server's
/// 500 "image input is not supported". Asked only when a request carries images, so text requests pay nothing.
/// </summary>
public static class OllamaVisionCheck
{
    public const string VisionCapability = "vision";

    /// <summary>Null when the model can see (or is unknown: leasing will say so), else the error to answer.</summary>
    public static async Task<OllamaError?> RefuseImagesAsync(OllamaCatalogClient catalog, string requested, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        IReadOnlyList<CatalogEntry> models;
        try
        {
            models = await catalog.ListAsync(ct);
        }
        catch (MetadataUnavailableException)
        {
            return null;   // let the request go on; llama-server's own answer is the fallback
        }
        var id = OllamaModelNames.Resolve(requested, models.Select(m => m.Id));
        if (id is null || models.First(m => m.Id == id).Facts?.Capabilities is not { } capabilities) return null;
        return capabilities.Contains(VisionCapability, StringComparer.OrdinalIgnoreCase)
            ? null
            : OllamaErrors.BadRequest($"\"{requested}\" does not support images: it has no vision projector (an mmproj*.gguf beside it)");
    }

    public static bool HasImages(OllamaChatRequest request) => request?.Messages?.Any(m => m.Images is { Count: > 0 }) == true;

    public static bool HasImages(OllamaGenerateRequest request) => request?.Images is { Count: > 0 };
}
