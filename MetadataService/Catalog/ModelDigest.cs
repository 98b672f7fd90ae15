using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace LlamaAspire.MetadataService.Catalog;

public static partial class ModelDigest
{
    /// <summary>
    /// The digest an Ollama blob is named by (sha256-&lt;hex&gt;), trusted as Ollama trusts it so multi-GB blobs are not re-hashed;
    /// null for any other file.
    /// </summary>
    public static string? FromBlobName(string path)
    {
        var match = OllamaBlobName().Match(Path.GetFileName(path));
        return match.Success ? "sha256:" + match.Groups["hex"].Value : null;
    }

    private const int ChunkSize = 1 << 20;

    /// <summary>
    /// "sha256:" and the hex SHA-256 of all files' bytes in order. Yields after every chunk so a many-GB hash
    /// never hogs a thread-pool thread, and stops promptly on cancellation.
    /// </summary>
    public static async Task<string> ComputeAsync(IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paths);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[ChunkSize];
        foreach (var path in paths)
        {
            await using var stream = new FileStream(
                path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await Task.Yield();
            }
        }
        return "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    [GeneratedRegex("^sha256-(?<hex>[0-9a-f]{64})$")]
    private static partial Regex OllamaBlobName();
}
