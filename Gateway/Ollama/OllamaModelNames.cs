namespace LlamaAspire.Gateway.Ollama;

/// <summary>
/// Ollama model names over catalog ids. Ollama lists every model with a tag, "latest" by default, and looks names up
/// case-insensitively, with or without the default tag and registry prefix. Catalog ids from GGUF files have no tag
/// ("qwen2.5-7b-instruct", shown as "qwen2.5-7b-instruct:latest"); ids from an Ollama store keep theirs ("llama3.2:1b").
/// </summary>
public static class OllamaModelNames
{
    public const string DefaultTag = "latest";

    /// <summary>Ollama's wording for a name it cannot parse.</summary>
    public const string InvalidName = "invalid model name";

    private const string DefaultRegistry = "registry.ollama.ai/";
    private const string DefaultNamespace = "library/";

    /// <summary>The name /api/tags shows for a catalog id: the id, with ":latest" when it has no tag.</summary>
    public static string ToOllamaName(string catalogId)
    {
        ArgumentNullException.ThrowIfNull(catalogId);
        return HasTag(catalogId) ? catalogId : $"{catalogId}:{DefaultTag}";
    }

    /// <summary>
    /// The canonical form of a requested name for comparison (default registry and namespace dropped, ":latest" added),
    /// or null when it is not a name: empty, or a path trick ('\', NUL, a rooted path, empty, "." or ".." segments).
    /// </summary>
    public static string? Normalize(string? requested)
    {
        var name = requested?.Trim();
        if (string.IsNullOrEmpty(name) || name.Contains('\\', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal)) return null;
        if (name.StartsWith(DefaultRegistry, StringComparison.OrdinalIgnoreCase)) name = name[DefaultRegistry.Length..];
        if (name.StartsWith(DefaultNamespace, StringComparison.OrdinalIgnoreCase)) name = name[DefaultNamespace.Length..];
        if (name.StartsWith('/') || (name.Length > 1 && name[1] == ':' && char.IsAsciiLetter(name[0]))) return null;
        var segments = name.Split('/');
        if (segments.Any(s => s is "" or "." or ".." || s.StartsWith(':'))) return null;
        var last = segments[^1];
        var colon = last.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0 && (colon == last.Length - 1 || last.IndexOf(':', colon + 1) >= 0)) return null;
        return HasTag(name) ? name : $"{name}:{DefaultTag}";
    }

    /// <summary>The catalog entry (a model or an alias) a requested name means, or null when none has that name.</summary>
    public static CatalogEntry? Find(string? requested, IEnumerable<CatalogEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var wanted = Normalize(requested);
        return wanted is null ? null : entries.FirstOrDefault(e => string.Equals(ToOllamaName(e.Id), wanted, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>A tag is a ':' in the last path segment ("user/model:tag"); a ':' elsewhere is part of a host ("host:5000/m").</summary>
    private static bool HasTag(string name) => name[(name.LastIndexOf('/') + 1)..].Contains(':', StringComparison.Ordinal);
}
