using System.Diagnostics;
using System.Text.Json;
using LlamaAspire.AppHost.Hosting.Testing;

namespace LlamaAspire.AppHost.Tests;

/// <summary>
/// The real ollama-js client (npm package "ollama", pinned in OllamaJs/package-lock.json) against the Ollama port of
/// the whole application: every client method a user calls, judged by the client itself.
/// </summary>
public sealed class OllamaJsConformanceTests(StackFixture stack, ITestOutputHelper output) : IClassFixture<StackFixture>
{
    [Fact(Timeout = 300_000)]
    public async Task OllamaJs_EveryMethod_BehavesAsAgainstOllama()
    {
        var ct = TestContext.Current.CancellationToken;
        var folder = Path.Combine(RepositoryRoot(), "tests", "AppHost.Tests", "OllamaJs");
        if (!File.Exists(Path.Combine(folder, "node_modules", "ollama", "package.json")))
            Assert.Equal(0, (await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], folder, ct)).ExitCode);
        using var ollama = stack.App.CreateHttpClient("gateway", "ollama");

        var (exitCode, stdout) = await RunAsync("node", ["conformance.mjs", ollama.BaseAddress!.ToString().TrimEnd('/')], folder, ct);

        output.WriteLine(stdout);
        using var report = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]);
        var failed = report.RootElement.EnumerateObject().Where(step => !step.Value.GetProperty("ok").GetBoolean())
            .Select(step => $"{step.Name}: {step.Value.GetProperty("error").GetString()}").ToList();
        Assert.True(failed.Count == 0, string.Join('\n', failed));
        Assert.Equal(0, exitCode);
        Assert.Equal(15, report.RootElement.EnumerateObject().Count());
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, string[] args, string folder, CancellationToken ct)
    {
        var startInfo = new ProcessStartInfo(program) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) startInfo.ArgumentList.Add(arg);
        using var process = Process.Start(startInfo)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "LlamaAspire.sln"))) return dir.FullName;
        throw new InvalidOperationException("LlamaAspire.sln not found above the test assembly.");
    }
}
