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

    // Small reads with a yield after each: a many-GB hash takes its turns between other work instead of streaming flat out.
    private const int ChunkSize = 256 << 10;

    /// <summary>
    /// "sha256:" and the hex SHA-256 of all files' bytes in order, computed on a lowest-priority thread of its own;
    /// stops promptly on cancellation.
    /// </summary>
    public static Task<string> ComputeAsync(IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return LowPriorityThread.RunAsync("model digest", () => Compute(paths, cancellationToken));
    }

    private static string Compute(IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[ChunkSize];
        foreach (var path in paths)
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.SequentialScan);
            long offset = 0;
            int read;
            while ((read = RandomAccess.Read(handle, buffer, offset)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                hash.AppendData(buffer, 0, read);
                offset += read;
                Thread.Yield();
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        return "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    [GeneratedRegex("^sha256-(?<hex>[0-9a-f]{64})$")]
    private static partial Regex OllamaBlobName();
}
