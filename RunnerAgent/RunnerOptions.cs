using System.ComponentModel.DataAnnotations;

namespace LlamaAspire.RunnerAgent;

public sealed class RunnerOptions
{
    public const string SectionName = "Runner";

    /// <summary>The llama-server binary; null: LLAMA_SERVER_PATH, PATH, the cache, then a build on first need.</summary>
    public string? LlamaServerPath { get; set; }

    [Range(1, 64)]
    public int MaxRunners { get; set; } = 1;

    /// <summary>SIGTERM, then this long, then kill.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan StopGracePeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A load fails when llama-server shows no progress (no output, no state change) for this long.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan LoadStallTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>This many failed starts or crashes within <see cref="CrashLoopWindow"/> make a model refuse to start for <see cref="CrashLoopBackOff"/>.</summary>
    [Range(1, 100)]
    public int CrashLoopLimit { get; set; } = 3;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan CrashLoopWindow { get; set; } = TimeSpan.FromMinutes(1);

    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan CrashLoopBackOff { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Lines of output kept per model, across its restarts, for GET /runners/{model}/logs.</summary>
    [Range(10, 1_000_000)]
    public int LogCapacity { get; set; } = Runners.RunnerLog.DefaultCapacity;

    /// <summary>Where the llama-server build cache lives; from LlamaAspire:Home when not set.</summary>
    public string? CacheDirectory { get; set; }
}
