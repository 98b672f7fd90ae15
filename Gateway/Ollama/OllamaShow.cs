using System.Text.Json;

namespace LlamaAspire.Gateway.Ollama;

/// <summary>POST /api/show from MetadataService's description of one model.</summary>
public static class OllamaShow
{
    public static OllamaShowResponse From(CatalogModelDetails model, bool verbose, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(model);
        var name = OllamaModelNames.ToOllamaName(model.Id);
        var template = model.Facts?.ChatTemplate ?? MetadataString(model.Metadata, "tokenizer.chat_template") ?? "";
        var license = License(model.Metadata);
        var parameters = OllamaParameters.From(model.Metadata);
        return new OllamaShowResponse(
            License: license,
            Modelfile: OllamaModelfile.Render(name, model.Path, template, parameters, license),
            Parameters: OllamaParameters.Format(parameters),
            Template: template,
            Details: OllamaDetails.From(model.Facts),
            ModelInfo: OllamaModelInfo.From(model.Metadata, model.Facts?.ParameterCount, verbose),
            Capabilities: model.Facts?.Capabilities ?? [],
            ModifiedAt: OllamaTime.Format(model.ModifiedAt, zone));
    }

    /// <summary>general.license: a string, or (in some files) an array of strings that Ollama joins with newlines.</summary>
    private static string? License(IReadOnlyDictionary<string, JsonElement>? metadata)
    {
        if (metadata is null || !metadata.TryGetValue("general.license", out var value)) return null;
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Array => string.Join('\n', value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString())),
            _ => null,
        };
    }

    private static string? MetadataString(IReadOnlyDictionary<string, JsonElement>? metadata, string key) =>
        metadata is not null && metadata.TryGetValue(key, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
