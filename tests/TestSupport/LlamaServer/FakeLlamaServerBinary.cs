using System.Reflection;

namespace LlamaAspire.TestSupport.LlamaServer;

/// <summary>
/// The built tests/FakeLlamaServer executable, for faults a real llama-server can't be made to show. TestSupport's
/// project reference builds it first and records its path; FAKE_LLAMA_SERVER_PATH overrides that.
/// Faults are chosen by environment variables (see tests/FakeLlamaServer/FakeFaults.cs): FAKE_LLAMA_LOAD_DELAY_MS,
/// FAKE_LLAMA_CRASH_DURING_LOAD=exitcode, FAKE_LLAMA_CRASH_AFTER_TOKENS=n, FAKE_LLAMA_IGNORE_SIGTERM=1,
/// FAKE_LLAMA_TOKEN_DELAY_MS, FAKE_LLAMA_TOKENS, FAKE_LLAMA_LISTEN_EARLY=1.
/// </summary>
public static class FakeLlamaServerBinary
{
    public const string PathVariable = "FAKE_LLAMA_SERVER_PATH";
    public const string MetadataKey = "FakeLlamaServerPath";

    private static readonly Lazy<string> Located = new(Locate, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string Path => Located.Value;

    private static string Locate()
    {
        var path = Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } fromEnv
            ? fromEnv
            : typeof(FakeLlamaServerBinary).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .FirstOrDefault(a => a.Key == MetadataKey)?.Value;
        if (path is null || !File.Exists(path))
            throw new FileNotFoundException($"The fake llama-server is not built at '{path}'; build tests/FakeLlamaServer or set {PathVariable}.", path);
        return path;
    }
}
