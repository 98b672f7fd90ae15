using LlamaAspire.MetadataService.Catalog;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlamaAspire.MetadataService.Tests.Support;

internal static class Scanners
{
    public static ModelFileScanner For(params string[] modelDirs) =>
        new(new StaticOptionsMonitor<MetadataOptions>(new() { ModelDirs = [.. modelDirs] }), NullLogger<ModelFileScanner>.Instance);

    /// <summary>Creates the file (and its folders) holding <paramref name="size"/> zero bytes; the scanner reads no header.</summary>
    public static string WriteFile(string path, int size = 16)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, new byte[size]);
        return path;
    }
}
