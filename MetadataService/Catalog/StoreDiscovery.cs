namespace LlamaAspire.MetadataService.Catalog;

/// <summary>The model stores other tools already keep, each switchable off in <see cref="MetadataOptions"/>.</summary>
public static class StoreDiscovery
{
    public const string LlamaCacheVariable = "LLAMA_CACHE";

    /// <summary>Existing folders of plain GGUF files: LM Studio's and llama.cpp's download cache.</summary>
    public static IReadOnlyList<string> GgufDirs(MetadataOptions options, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        var home = UserHome(options);
        var dirs = new List<string>();
        if (options.DiscoverLmStudio)
        {
            dirs.Add(Path.Combine(home, ".lmstudio", "models"));
            dirs.Add(Path.Combine(home, ".cache", "lm-studio", "models"));
        }
        if (options.DiscoverLlamaCppCache)
            dirs.Add(environment(LlamaCacheVariable) is { Length: > 0 } cache ? cache : Path.Combine(home, ".cache", "llama.cpp"));
        return [.. dirs.Where(Directory.Exists).Where(d => !options.ModelDirs.Contains(d, StringComparer.Ordinal))];
    }

    /// <summary>Ollama's models folder when enabled and present.</summary>
    public static string? OllamaDir(MetadataOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var dir = Path.Combine(UserHome(options), ".ollama", "models");
        return options.DiscoverOllama && Directory.Exists(dir) ? dir : null;
    }

    private static string UserHome(MetadataOptions options) =>
        options.UserHome ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
}
