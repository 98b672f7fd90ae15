using System.ComponentModel.DataAnnotations;

namespace LlamaAspire.MetadataService;

public sealed class MetadataOptions : IValidatableObject
{
    public const string SectionName = "Metadata";

    /// <summary>Folders scanned recursively for GGUF files.</summary>
    public List<string> ModelDirs { get; set; } = [];

    /// <summary>Also scan LM Studio's ~/.lmstudio/models and ~/.cache/lm-studio/models.</summary>
    public bool DiscoverLmStudio { get; set; } = true;

    /// <summary>Also scan llama.cpp's download cache: LLAMA_CACHE, else ~/.cache/llama.cpp.</summary>
    public bool DiscoverLlamaCppCache { get; set; } = true;

    /// <summary>Also list Ollama's ~/.ollama/models under their name:tag.</summary>
    public bool DiscoverOllama { get; set; } = true;

    /// <summary>The user's home folder the stores are looked up in; the current user's when unset.</summary>
    public string? UserHome { get; set; }

    /// <summary>
    /// Lets DELETE /models/{id} (Ollama's /api/delete of a model that is not an alias) delete the model's files. Off by
    /// default; even when on, only files under <see cref="ModelDirs"/> are deleted, never another app's store.
    /// </summary>
    public bool AllowFileDeletion { get; set; }

    /// <summary>How long the digest worker waits between passes over the catalog.</summary>
    public TimeSpan DigestInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the catalog is rescanned even without a file-system event.</summary>
    public TimeSpan RescanInterval { get; set; } = TimeSpan.FromSeconds(5);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var dir in ModelDirs.Where(d => !Path.IsPathFullyQualified(d)))
            yield return new ValidationResult($"Metadata:ModelDirs: '{dir}' is not an absolute path.", [nameof(ModelDirs)]);
        if (RescanInterval <= TimeSpan.Zero)
            yield return new ValidationResult("Metadata:RescanInterval must be positive.", [nameof(RescanInterval)]);
        if (DigestInterval <= TimeSpan.Zero)
            yield return new ValidationResult("Metadata:DigestInterval must be positive.", [nameof(DigestInterval)]);
    }
}
