namespace LlamaAspire.TestSupport;

/// <summary>
/// A fresh directory under the system temp folder, deleted on dispose. Its unique path doubles as
/// a marker for finding processes a test started (see ProcessAssert).
/// </summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory(string? prefix = null)
    {
        var name = $"{prefix ?? "test"}-{Guid.NewGuid():N}";
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "llama-aspire-tests", name);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public override string ToString() => Path;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a process that outlived the test may still hold a file.
        }
    }
}
