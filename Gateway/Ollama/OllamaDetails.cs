namespace LlamaAspire.Gateway.Ollama;

/// <summary>Ollama's details object from MetadataService's facts; unknown values are "" (Ollama's zero value), never null.</summary>
public static class OllamaDetails
{
    public static OllamaModelDetails From(CatalogFacts? facts) => new(
        ParentModel: "",
        Format: "gguf",
        Family: facts?.Architecture ?? "",
        Families: facts?.Architecture is { } architecture ? [architecture] : [],
        ParameterSize: facts?.ParameterCount is { } count ? OllamaParameterSize.Format(count) : "",
        QuantizationLevel: facts?.Quantization ?? "");
}
