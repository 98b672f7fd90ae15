namespace LlamaAspire.AppHost.Configuration;

/// <summary>Everything the user can set, from defaults, then config.json, then the command line.</summary>
public sealed record AppHostSettings
{
    public const int DefaultOllamaPort = 11434;
    public const int DefaultLmStudioPort = 1234;
    public const int DefaultOpenAiPort = 8080;
    public const int DefaultDashboardPort = 8035;

    public required string Home { get; init; }
    public string? ConfigFile { get; init; }
    public IReadOnlyList<string> ModelsDirs { get; init; } = [];
    public string? LlamaServer { get; init; }
    public int MaxRunners { get; init; } = 1;
    public string KeepAlive { get; init; } = "5m";
    public int ContextLength { get; init; } = 4096;
    public int Parallel { get; init; } = 4;
    public long? MemoryBudgetMiB { get; init; }

    /// <summary>config.json's "models" and "runtimes", flattened to RunnerAgent configuration (Runner:Models:0:Model, …).</summary>
    public IReadOnlyDictionary<string, string> RunnerSections { get; init; } = NoRunnerSections;

    private static readonly IReadOnlyDictionary<string, string> NoRunnerSections = new Dictionary<string, string>();
    public string Host { get; init; } = "127.0.0.1";
    public int OllamaPort { get; init; } = DefaultOllamaPort;
    public int LmStudioPort { get; init; } = DefaultLmStudioPort;
    public int OpenAiPort { get; init; } = DefaultOpenAiPort;
    public int DashboardPort { get; init; } = DefaultDashboardPort;
    public bool DiscoverStores { get; init; } = true;
    public bool AllowDeleteFiles { get; init; }
    public string? OtlpEndpoint { get; init; }
    public string OtlpProtocol { get; init; } = "grpc";
    public string LogLevel { get; init; } = "Information";

    public string ConfigPath => ConfigFile ?? Path.Combine(Home, "config.json");
    public string LogDirectory => Path.Combine(Home, "logs");

    public static string DefaultHome =>
        Environment.GetEnvironmentVariable("LLAMA_ASPIRE_HOME") is { Length: > 0 } home
            ? home
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".llama-aspire");
}
