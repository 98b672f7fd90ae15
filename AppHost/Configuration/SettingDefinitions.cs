using System.Globalization;

namespace LlamaAspire.AppHost.Configuration;

/// <summary>One user-facing setting: its command-line flag, its config.json key, and how a text value applies.</summary>
public sealed record SettingDefinition(
    string Flag,
    string ConfigKey,
    string ValueName,
    string Help,
    Func<AppHostSettings, string, string, AppHostSettings> Apply,
    bool Repeatable = false);

public static partial class SettingDefinitions
{
    private static readonly string[] LogLevels = ["Trace", "Debug", "Information", "Warning", "Error", "Critical", "None"];
    private static readonly string[] OtlpProtocols = ["grpc", "http/protobuf"];

    public static IReadOnlyList<SettingDefinition> All { get; } =
    [
        new("--models-dir", "modelsDirs", "DIR", "a folder of GGUF models (repeatable)",
            (s, v, baseDir) => s with { ModelsDirs = [.. s.ModelsDirs, FullPath(v, baseDir)] }, Repeatable: true),
        new("--llama-server", "llamaServer", "PATH", "the llama-server binary (default: LLAMA_SERVER_PATH, PATH, then a cached build)",
            (s, v, baseDir) => s with { LlamaServer = FullPath(v, baseDir) }),
        new("--max-runners", "maxRunners", "N", "how many llama-server processes may run at once (default 1)",
            (s, v, _) => s with { MaxRunners = Integer(v, min: 1, max: 64) }),
        new("--keep-alive", "keepAlive", "DURATION", "how long an idle model stays loaded: 5m (default), 1h, 0 (unload at once), -1 (never)",
            (s, v, _) => s with { KeepAlive = Duration(v) }),
        new("--context-length", "contextLength", "N", "context a model loads with unless a request asks for more (default 4096, capped at the model's)",
            (s, v, _) => s with { ContextLength = Integer(v, min: 256, max: 10_000_000) }),
        new("--parallel", "parallel", "N", "requests one llama-server decodes at once, sharing its context (default 4)",
            (s, v, _) => s with { Parallel = Integer(v, min: 1, max: 256) }),
        new("--memory-budget-mib", "memoryBudgetMiB", "MIB", "memory the loaded models may take together (default: GPU or physical memory less a margin)",
            (s, v, _) => s with { MemoryBudgetMiB = Integer(v, min: 1, max: int.MaxValue) }),
        new("--host", "host", "ADDR", "bind address of the user-facing ports (default 127.0.0.1)",
            (s, v, _) => s with { Host = BindAddress(v) }),
        new("--ollama-port", "ollamaPort", "PORT", "Ollama API port (default 11434)",
            (s, v, _) => s with { OllamaPort = Port(v) }),
        new("--lmstudio-port", "lmstudioPort", "PORT", "LM Studio API port (default 1234)",
            (s, v, _) => s with { LmStudioPort = Port(v) }),
        new("--openai-port", "openaiPort", "PORT", "OpenAI and llama.cpp-router API port (default 8080)",
            (s, v, _) => s with { OpenAiPort = Port(v) }),
        new("--dashboard-port", "dashboardPort", "PORT", "Dashboard port (default 8035)",
            (s, v, _) => s with { DashboardPort = Port(v) }),
        new("--discover-stores", "discoverStores", "BOOL", "also list the models of LM Studio, Ollama and the llama.cpp cache (default true)",
            (s, v, _) => s with { DiscoverStores = Boolean(v) }),
        new("--allow-delete-files", "allowDeleteFiles", "BOOL", "let Ollama's /api/delete delete model files in the models folders, not just aliases (default false)",
            (s, v, _) => s with { AllowDeleteFiles = Boolean(v) }),
        new("--otlp-endpoint", "otlpEndpoint", "URL", "send traces, metrics and logs to this OTLP collector or Aspire dashboard",
            (s, v, _) => s with { OtlpEndpoint = AbsoluteHttpUrl(v) }),
        new("--otlp-protocol", "otlpProtocol", "PROTOCOL", "grpc (default) or http/protobuf",
            (s, v, _) => s with { OtlpProtocol = OneOf(v, OtlpProtocols) }),
        new("--log-level", "logLevel", "LEVEL", "console log level: Trace, Debug, Information (default), Warning, Error",
            (s, v, _) => s with { LogLevel = OneOf(v, LogLevels) }),
    ];

    public static string FullPath(string value, string baseDir)
    {
        if (string.IsNullOrWhiteSpace(value)) throw new SettingsException("expected a path, got an empty value");
        if (value == "~" || value.StartsWith("~/", StringComparison.Ordinal))
            value = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), value.TrimStart('~').TrimStart('/'));
        return Path.GetFullPath(value, baseDir);
    }

    private static int Integer(string value, int min, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new SettingsException($"expected an integer from {min} to {max}, got '{value}'");

    /// <summary>Ollama's keep_alive forms: seconds, or a duration such as 5m, 1h30m, 250ms; negative means forever.</summary>
    private static string Duration(string value) =>
        DurationPattern().IsMatch(value.Trim())
            ? value.Trim()
            : throw new SettingsException($"expected a duration such as 5m, 1h30m, 0 or -1, got '{value}'");

    [System.Text.RegularExpressions.GeneratedRegex(@"^[-+]?(\d+(\.\d+)?|(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+)$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex DurationPattern();

    private static bool Boolean(string value) =>
        bool.TryParse(value, out var b) ? b : throw new SettingsException($"expected true or false, got '{value}'");

    private static int Port(string value) => Integer(value, 1, 65535);

    private static string BindAddress(string value) =>
        value == "localhost" || System.Net.IPAddress.TryParse(value, out _)
            ? value
            : throw new SettingsException($"expected an IP address such as 127.0.0.1 or 0.0.0.0, got '{value}'");

    private static string AbsoluteHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? value
            : throw new SettingsException($"expected an http:// or https:// URL, got '{value}'");

    private static string OneOf(string value, string[] allowed) =>
        allowed.FirstOrDefault(a => string.Equals(a, value, StringComparison.OrdinalIgnoreCase))
            ?? throw new SettingsException($"expected one of {string.Join(", ", allowed)}, got '{value}'");
}
