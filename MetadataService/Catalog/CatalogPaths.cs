namespace LlamaAspire.MetadataService.Catalog;

public static class CatalogPaths
{
    public const string HomeKey = "LlamaAspire:Home";

    /// <summary>The home folder: <c>LlamaAspire:Home</c>, else ~/.llama-aspire.</summary>
    public static string Home(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var home = configuration[HomeKey];
        return string.IsNullOrWhiteSpace(home)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".llama-aspire")
            : home;
    }

    public static string AliasesFile(string home) => Path.Combine(home, "aliases.json");

    public static string FactsCacheFile(string home) => Path.Combine(home, "cache", "metadata", "catalog.json");
}
