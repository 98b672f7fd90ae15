using System.Diagnostics;
using System.Text.Json;
using LlamaAspire.TestSupport.LlamaServer;

namespace LlamaAspire.AppHost.Tests;

/// <summary>
/// Runs the conformance script of a real npm client (pinned by the package-lock.json in its folder under
/// tests/AppHost.Tests) and reads the one-line JSON report it prints last: one entry per step, with "ok" and "error".
/// </summary>
internal static class NodeConformance
{
    public static async Task<(int ExitCode, string Output)> RunAsync(string folderName, string package, IEnumerable<string> args, CancellationToken ct)
    {
        var root = LlamaServerLocator.FindRepositoryRoot() ?? throw new InvalidOperationException("LlamaAspire.sln not found above the test assembly.");
        var folder = Path.Combine(root, "tests", "AppHost.Tests", folderName);
        if (!File.Exists(Path.Combine(folder, "node_modules", package, "package.json")))
            Assert.Equal(0, (await RunProcessAsync("npm", ["ci", "--no-audit", "--no-fund"], folder, ct)).ExitCode);
        return await RunProcessAsync("node", ["conformance.mjs", .. args], folder, ct);
    }

    /// <summary>The report; fails with the whole output when the script printed none.</summary>
    public static JsonDocument Report(int exitCode, string output)
    {
        var lastLine = output.Trim().Split('\n')[^1];
        Assert.True(lastLine.StartsWith('{'), $"node exited {exitCode} without a report: {output}");
        return JsonDocument.Parse(lastLine);
    }

    /// <summary>"step: error" for every step that failed.</summary>
    public static List<string> FailedSteps(JsonDocument report) =>
        [.. report.RootElement.EnumerateObject().Where(step => !step.Value.GetProperty("ok").GetBoolean())
            .Select(step => $"{step.Name}: {step.Value.GetProperty("error").GetString()}")];

    private static async Task<(int ExitCode, string Output)> RunProcessAsync(string program, IEnumerable<string> args, string folder, CancellationToken ct)
    {
        var startInfo = new ProcessStartInfo(program) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) startInfo.ArgumentList.Add(arg);
        using var process = Process.Start(startInfo)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return (process.ExitCode, await stdout + await stderr);
    }
}
