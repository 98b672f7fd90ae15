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

    /// <summary>Context a model loads with when no request asks for more; capped at the model's trained context.</summary>
    [Range(256, 10_000_000)]
    public int DefaultContextLength { get; set; } = 4096;

    /// <summary>Requests one llama-server decodes at once (its slots); they share the context.</summary>
    [Range(1, 256)]
    public int Parallel { get; set; } = 4;

    /// <summary>How long an idle model stays loaded, as Ollama's keep_alive: "5m", "1h", "0" (unload at once), "-1" (never).</summary>
    public string DefaultKeepAlive { get; set; } = "5m";

    /// <summary>Requests waiting for one model; more get 503 "server busy".</summary>
    [Range(1, 1_000_000)]
    public int MaxQueuePerModel { get; set; } = 512;

    /// <summary>How long requests wait for a busy model to finish before it can be swapped out; then they get 503.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan SwapTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a loaded model keeps taking new requests while another model waits for its place (anti-thrash).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan MaxWaitBeforeSwap { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A lease its holder neither renews nor releases for this long is taken back.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan LeaseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>What loaded models may take together, in MiB; null: GPU memory (nvidia-smi) or physical memory, less a margin.</summary>
    [Range(1L, long.MaxValue)]
    public long? MemoryBudgetMiB { get; set; }

    /// <summary>More llama-server binaries by name (e.g. "cuda", "cpu"); "default" is the one found or built.</summary>
    public Dictionary<string, string> Runtimes { get; set; } = [];

    /// <summary>Per-model settings; the first entry whose Model matches the id (case-insensitive) applies.</summary>
    public List<ModelSettings> Models { get; set; } = [];

    public ModelSettings? SettingsFor(string modelId) =>
        Models.FirstOrDefault(m => string.Equals(m.Model, modelId, StringComparison.OrdinalIgnoreCase));
}

/// <summary>How one model runs: overrides of the defaults, extra llama-server flags, and the runtime to use.</summary>
public sealed class ModelSettings
{
    public string Model { get; set; } = "";

    public int? ContextLength { get; set; }

    public int? Parallel { get; set; }

    public string? KeepAlive { get; set; }

    /// <summary>Extra llama-server arguments, one per item (no shell): ["--flash-attn", "on", "-ngl", "99"].</summary>
    public List<string> Args { get; set; } = [];

    /// <summary>A name from Runner:Runtimes; null: the default.</summary>
    public string? Runtime { get; set; }
}
