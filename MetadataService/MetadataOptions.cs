using System.ComponentModel.DataAnnotations;

namespace LlamaAspire.MetadataService;

public sealed class MetadataOptions : IValidatableObject
{
    public const string SectionName = "Metadata";

    /// <summary>Folders scanned recursively for GGUF files.</summary>
    public List<string> ModelDirs { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        ModelDirs.Where(d => !Path.IsPathFullyQualified(d))
            .Select(d => new ValidationResult($"Metadata:ModelDirs: '{d}' is not an absolute path.", [nameof(ModelDirs)]));
}
