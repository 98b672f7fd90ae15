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

    /// <summary>
    /// Writes <paramref name="directory"/>/llama-server, a script that sets <paramref name="faults"/> and execs the fake
    /// (same pid), for code that takes only a binary path, such as the RunnerAgent's launcher. Setting the variables on
    /// the test process instead would leak them into tests running in parallel.
    /// </summary>
    public static string CreateLauncher(string directory, IReadOnlyDictionary<string, string> faults)
    {
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("The fake's launcher is a POSIX shell script.");
        var script = new System.Text.StringBuilder("#!/bin/sh\n");
        foreach (var (name, value) in faults) script.Append("export ").Append(name).Append('=').Append(Quote(value)).Append('\n');
        script.Append("exec ").Append(Quote(Path)).Append(" \"$@\"\n");
        var launcher = System.IO.Path.Combine(directory, "llama-server");
        File.WriteAllText(launcher, script.ToString());
        File.SetUnixFileMode(launcher, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return launcher;
    }

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

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
