using LlamaAspire.MetadataService.Catalog;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlamaAspire.MetadataService.Tests.Support;

internal static class Scanners
{
    /// <summary>A scanner of just these folders: store discovery is off, so no test reads the real home folder.</summary>
    public static ModelFileScanner For(params string[] modelDirs) =>
        new(new StaticOptionsMonitor<MetadataOptions>(Options(modelDirs)), NullLogger<ModelFileScanner>.Instance);

    public static MetadataOptions Options(params string[] modelDirs) => new()
    {
        ModelDirs = [.. modelDirs],
        DiscoverLmStudio = false,
        DiscoverLlamaCppCache = false,
        DiscoverOllama = false,
    };

    /// <summary>Creates the file (and its folders) holding <paramref name="size"/> zero bytes; the scanner reads no header.</summary>
    public static string WriteFile(string path, int size = 16)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, new byte[size]);
        return path;
    }
}
