namespace LlamaAspire.ServiceDefaults.Logging;

/// <summary>Where the log file lives and when it rolls over.</summary>
internal sealed record RollingFileOptions(string FilePath, long FileSizeLimitBytes, int RetainedFileCount)
{
    public const long DefaultFileSizeLimitBytes = 10 * 1024 * 1024;
    public const int DefaultRetainedFileCount = 5;

    /// <summary>Lines written but not yet on disk; beyond this, new lines are dropped rather than block a caller.</summary>
    public int QueueCapacity { get; init; } = 10_000;
}
