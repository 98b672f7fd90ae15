using System.Security.Cryptography;
using System.Text;

namespace LlamaAspire.Gateway.Ollama;

/// <summary>The 64-hex digest Ollama lists (no "sha256:" prefix).</summary>
public static class OllamaDigest
{
    private const string Prefix = "sha256:";

    /// <summary>
    /// The file's sha256 from MetadataService. While MetadataService is still hashing (digest null), a stand-in: the sha256
    /// of path, size and modification time. It is stable for an unchanged file, changes when the file does, and is
    /// replaced by the real digest once hashing ends; clients only compare digests, so they see at most one extra change.
    /// </summary>
    public static string For(string? catalogDigest, string path, long sizeBytes, DateTimeOffset modifiedAt)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (catalogDigest is not null && catalogDigest.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            var hex = catalogDigest[Prefix.Length..];
            if (hex.Length == 64 && hex.All(char.IsAsciiHexDigit)) return hex.ToLowerInvariant();
        }
        return StandIn($"{path}\n{sizeBytes}\n{modifiedAt.UtcTicks}");
    }

    public static string For(CatalogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return For(entry.Digest, entry.Path, entry.SizeBytes, entry.ModifiedAt);
    }

    /// <summary>For a loaded model the catalog no longer lists: derived from its id, so /api/ps still has 64 hex.</summary>
    public static string ForUnlisted(string modelId) => StandIn(modelId);

    private static string StandIn(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
