using System.Text.Json;
using LlamaAspire.Gateway.Upstream;

namespace LlamaAspire.Gateway.Ollama;

/// <summary>
/// Ollama refuses, with a 400 before anything loads, a request that uses what the model cannot do: images without a
/// vision projector, tools without a tool-aware template, thinking without a thinking template. Clients key on these
/// words ("does not support tools"). Asked only when a request uses one of them, so plain requests pay nothing.
/// </summary>
public static class OllamaCapabilityCheck
{
    public const string Vision = "vision";
    public const string Tools = "tools";
    public const string Thinking = "thinking";

    public static IReadOnlyList<string> Needed(OllamaChatRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Needed(request.Messages?.Any(m => m.Images is { Count: > 0 }) == true, request.Tools is { Count: > 0 }, request.Think);
    }

    public static IReadOnlyList<string> Needed(OllamaGenerateRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Needed(request.Images is { Count: > 0 }, tools: false, request.Think);
    }

    /// <summary>Null when the model can do all of <paramref name="needed"/> (or is unknown: leasing will say so), else the error to answer.</summary>
    public static async Task<OllamaError?> RefuseAsync(OllamaCatalogClient catalog, string requested, IReadOnlyList<string> needed, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(needed);
        if (needed.Count == 0) return null;
        IReadOnlyList<CatalogEntry> models;
        try
        {
            models = await catalog.ListAsync(ct);
        }
        catch (MetadataUnavailableException)
        {
            return null;   // let the request go on; llama-server's own answer is the fallback
        }
        if (OllamaModelNames.Find(requested, models)?.Facts?.Capabilities is not { } capabilities) return null;
        return needed.FirstOrDefault(c => !capabilities.Contains(c, StringComparer.OrdinalIgnoreCase)) switch
        {
            null => null,
            Vision => OllamaErrors.BadRequest($"\"{requested}\" does not support images: it has no vision projector (an mmproj*.gguf beside it)"),
            var missing => OllamaErrors.BadRequest($"\"{requested}\" does not support {missing}"),
        };
    }

    // think: true or a level ("high") asks for thinking; false and absent do not.
    private static string[] Needed(bool images, bool tools, JsonElement? think) =>
    [
        .. images ? [Vision] : Array.Empty<string>(),
        .. tools ? [Tools] : Array.Empty<string>(),
        .. think?.ValueKind is JsonValueKind.True or JsonValueKind.String ? [Thinking] : Array.Empty<string>(),
    ];
}
