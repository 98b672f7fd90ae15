using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace LlamaAspire.MetadataService.Benchmarks;

/// <summary>
/// Runs npm/bench.mjs: the @huggingface/gguf parser timed on the same file. Installs its pinned package with
/// <c>npm ci</c> on first use.
/// </summary>
internal static class NpmBaseline
{
    /// <summary>The median in ms, or null (with the reason on stderr) when node or npm is unavailable.</summary>
    public static double? MedianMs(string file, int runs)
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "npm");
        try
        {
            if (!Directory.Exists(Path.Combine(dir, "node_modules", "@huggingface", "gguf")))
                Run("npm", dir, "ci", "--no-audit", "--no-fund");
            var output = Run("node", dir, "bench.mjs", file, runs.ToString(CultureInfo.InvariantCulture));
            using var json = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
            return json.RootElement.GetProperty("medianMs").GetDouble();
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or JsonException or KeyNotFoundException)
        {
            Console.Error.WriteLine($"npm baseline skipped: {e.Message}");
            return null;
        }
    }

    private static string Run(string program, string dir, params string[] args)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited {process.ExitCode}: {stderr.Result}");
        return stdout;
    }
}
