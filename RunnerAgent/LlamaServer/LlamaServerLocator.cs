using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace LlamaAspire.RunnerAgent.LlamaServer;

/// <summary>
/// Finds llama-server: the configured path, LLAMA_SERVER_PATH, PATH, then our build cache. When there is none,
/// builds it once with the bundled script (a few minutes) and logs the script's progress.
/// </summary>
public sealed class LlamaServerLocator(IOptions<RunnerOptions> options, ILogger<LlamaServerLocator> logger) : IDisposable
{
    private static readonly string ExecutableName = OperatingSystem.IsWindows() ? "llama-server.exe" : "llama-server";
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _disposed = new();
    private string? _found;
    private Task<string>? _build;

    /// <summary>
    /// The binary, building it first if needed. The build belongs to the locator, not to the caller: a caller that
    /// gives up (a client disconnecting) stops waiting, but the build goes on for the next one.
    /// </summary>
    public Task<string> GetPathAsync(CancellationToken ct)
    {
        if ((_found ??= Find()) is { } found) return Task.FromResult(found);
        lock (_lock)
        {
            if (_build is null || _build.IsFaulted || _build.IsCanceled) _build = BuildAsync(_disposed.Token);
            return _build.WaitAsync(ct);
        }
    }

    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
    }

    public string? Find()
    {
        if (options.Value.LlamaServerPath is { Length: > 0 } configured)
            return File.Exists(configured) ? configured : throw new FileNotFoundException($"Runner:LlamaServerPath does not exist: {configured}");
        if (Environment.GetEnvironmentVariable("LLAMA_SERVER_PATH") is { Length: > 0 } fromEnv && File.Exists(fromEnv))
            return fromEnv;
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, ExecutableName))
            .FirstOrDefault(File.Exists);
        return onPath ?? FindInCache();
    }

    private string? FindInCache()
    {
        var root = Path.Combine(options.Value.CacheDirectory!, "llama-server");
        if (!Directory.Exists(root)) return null;
        return Directory.EnumerateDirectories(root)
            .Where(dir => File.Exists(Path.Combine(dir, ".complete")))
            .Select(dir => Path.Combine(dir, "bin", ExecutableName))
            .Where(File.Exists)
            .OrderByDescending(File.GetLastWriteTimeUtc)
            .FirstOrDefault();
    }

    private async Task<string> BuildAsync(CancellationToken ct)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "scripts", "build-llama-server.sh");
        if (OperatingSystem.IsWindows() || !File.Exists(script))
            throw new InvalidOperationException("No llama-server found. Set Runner:LlamaServerPath, LLAMA_SERVER_PATH or put llama-server on PATH.");

        Log.BuildingLlamaServer(logger, options.Value.CacheDirectory!);
        var startInfo = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { script, "--cache-dir", options.Value.CacheDirectory! }) startInfo.ArgumentList.Add(arg);
        using var build = Process.Start(startInfo)!;
        using var killOnDispose = ct.Register(() =>
        {
            try { build.Kill(entireProcessTree: true); }
            catch (InvalidOperationException) { }   // already finished
        });
        var stdout = build.StandardOutput.ReadToEndAsync(ct);
        while (await build.StandardError.ReadLineAsync(ct) is { } line) Log.BuildProgress(logger, line);
        await build.WaitForExitAsync(ct);
        var lastLine = (await stdout).TrimEnd().Split('\n').LastOrDefault()?.Trim();
        if (build.ExitCode != 0 || lastLine is null || !File.Exists(lastLine))
            throw new InvalidOperationException($"Building llama-server failed (exit code {build.ExitCode}); see the log above.");
        Log.BuiltLlamaServer(logger, lastLine);
        _found = lastLine;
        return lastLine;
    }
}
