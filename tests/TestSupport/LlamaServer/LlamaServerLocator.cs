using System.Diagnostics;

namespace LlamaAspire.TestSupport.LlamaServer;

/// <summary>
/// Finds a llama-server binary: explicit path, LLAMA_SERVER_PATH, PATH, then the build cache
/// (&lt;home&gt;/cache/llama-server/*/bin). <see cref="FindOrBuildAsync"/> runs scripts/build-llama-server.sh
/// when all of those come up empty.
/// </summary>
public static class LlamaServerLocator
{
    public const string PathVariable = "LLAMA_SERVER_PATH";
    public const string HomeVariable = "LLAMA_ASPIRE_HOME";
    public const string BuildScript = "scripts/build-llama-server.sh";
    public const string SolutionFile = "LlamaAspire.sln";

    public static string ExecutableName => OperatingSystem.IsWindows() ? "llama-server.exe" : "llama-server";

    /// <summary>Returns the first binary found, or null. A path given explicitly or by env var must exist.</summary>
    public static string? TryFind(string? explicitPath = null, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (!string.IsNullOrEmpty(explicitPath)) return RequireExisting(explicitPath, "the explicit path");
        if (environment(PathVariable) is { Length: > 0 } fromEnv) return RequireExisting(fromEnv, PathVariable);
        return FindOnPath(environment("PATH")) ?? FindInCache(HomeDirectory(environment));
    }

    public static string HomeDirectory(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        return environment(HomeVariable) is { Length: > 0 } home
            ? home
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".llama-aspire");
    }

    public static string? FindOnPath(string? pathVariable) =>
        (pathVariable ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, ExecutableName))
            .FirstOrDefault(IsExecutable);

    /// <summary>Newest finished build first; a version folder still being built has no .complete marker yet.</summary>
    public static string? FindInCache(string home)
    {
        var root = Path.Combine(home, "cache", "llama-server");
        if (!Directory.Exists(root)) return null;
        return Directory.EnumerateDirectories(root)
            .Select(dir => (Dir: dir, Binary: Path.Combine(dir, "bin", ExecutableName)))
            .Where(c => IsExecutable(c.Binary))
            .OrderByDescending(c => File.Exists(Path.Combine(c.Dir, ".complete")))
            .ThenByDescending(c => Version.TryParse(Path.GetFileName(c.Dir), out var v) ? v : new Version(0, 0))
            .Select(c => c.Binary)
            .FirstOrDefault();
    }

    /// <summary>Walks up from <paramref name="start"/> (default: the test assembly folder) to the folder holding LlamaAspire.sln.</summary>
    public static string? FindRepositoryRoot(string? start = null)
    {
        for (var dir = new DirectoryInfo(start ?? AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, SolutionFile))) return dir.FullName;
        }

        return null;
    }

    public static async Task<string> FindOrBuildAsync(string? explicitPath = null, Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        if (TryFind(explicitPath) is { } found) return found;
        var root = FindRepositoryRoot()
            ?? throw new InvalidOperationException($"llama-server not found and no {SolutionFile} above {AppContext.BaseDirectory} to build it from; set {PathVariable}.");
        return await BuildAsync(root, log, cancellationToken);
    }

    /// <summary>Runs the build script (it reuses a finished build) and returns the path it prints last.</summary>
    public static async Task<string> BuildAsync(string repositoryRoot, Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        var script = Path.Combine(repositoryRoot, BuildScript);
        var start = new ProcessStartInfo("bash")
        {
            ArgumentList = { script },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = repositoryRoot,
        };
        using var process = new Process { StartInfo = start };
        var stdout = new List<string>();
        var stderr = new List<string>();
        process.OutputDataReceived += (_, e) => { if (e.Data is { } line) lock (stdout) stdout.Add(line); };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not { } line) return;
            lock (stderr) stderr.Add(line);
            log?.Invoke(line);
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var last = stdout.LastOrDefault(line => line.Length > 0)?.Trim();
        if (process.ExitCode != 0 || last is null || !File.Exists(last))
        {
            throw new InvalidOperationException(
                $"{BuildScript} failed (exit {process.ExitCode}):{Environment.NewLine}{string.Join(Environment.NewLine, stderr.TakeLast(30))}");
        }

        return last;
    }

    private static string RequireExisting(string path, string source) =>
        File.Exists(path) ? Path.GetFullPath(path) : throw new FileNotFoundException($"llama-server given by {source} does not exist.", path);

    private static bool IsExecutable(string path)
    {
        if (!File.Exists(path)) return false;
        if (OperatingSystem.IsWindows()) return true;
        const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return (File.GetUnixFileMode(path) & anyExecute) != 0;
    }
}
