using System.ComponentModel.DataAnnotations;

namespace LlamaAspire.Gateway.Ollama;

/// <summary>The Ollama surface (port 11434): what it claims to be and which browser origins may call it.</summary>
public sealed class OllamaOptions : IValidatableObject
{
    public const string SectionName = "Ollama";

    /// <summary>Copilot Chat refuses versions below this one (protocols.md §1.8).</summary>
    public static readonly Version MinimumVersion = new(0, 6, 4);

    /// <summary>
    /// GET /api/version. Plain dotted numbers: Open WebUI turns each part into an int, so "0.12.3-rc1" or "v0.12" would
    /// break it.
    /// </summary>
    [Required]
    [RegularExpression(@"^\d{1,9}\.\d{1,9}\.\d{1,9}$", ErrorMessage = "Ollama:Version must be three dot-separated numbers, e.g. 0.12.3.")]
    public string Version { get; set; } = "0.12.3";

    /// <summary>Origins allowed besides Ollama's defaults, in OLLAMA_ORIGINS syntax ("https://example.com", "chrome-extension://*").</summary>
    public IList<string> AllowedOrigins { get; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (System.Version.TryParse(Version, out var version) && version < MinimumVersion)
            yield return new ValidationResult($"Ollama:Version must be at least {MinimumVersion}; clients refuse older servers.", [nameof(Version)]);
        foreach (var origin in AllowedOrigins.Where(o => !OllamaOrigins.IsValidPattern(o)))
            yield return new ValidationResult($"Ollama:AllowedOrigins entry '{origin}' is not an origin (scheme://host[:port], at most one '*').", [nameof(AllowedOrigins)]);
    }
}
