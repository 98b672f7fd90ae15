using System.Diagnostics;
using System.Text.Json;
using LlamaAspire.AppHost.Hosting.Testing;

namespace LlamaAspire.AppHost.Tests;

/// <summary>
/// The real openai-node client (npm package "openai", pinned in OpenAiJs/package-lock.json) against each
/// OpenAI-compatible surface of the whole application: the LM Studio port, the OpenAI / router port and Ollama's /v1.
/// </summary>
public sealed class OpenAiJsConformanceTests(StackFixture stack, ITestOutputHelper output) : IClassFixture<StackFixture>
{
    [Theory(Timeout = 300_000)]
    [InlineData("lmstudio", "tiny-chat")]
    [InlineData("openai", "tiny-chat")]
    [InlineData("ollama", "tiny-chat:latest")]
    public async Task OpenAiJs_EveryMethod_BehavesAsAgainstOpenAi(string surface, string chatModel)
    {
        var ct = TestContext.Current.CancellationToken;
        var folder = Path.Combine(RepositoryRoot(), "tests", "AppHost.Tests", "OpenAiJs");
        if (!File.Exists(Path.Combine(folder, "node_modules", "openai", "package.json")))
            Assert.Equal(0, (await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], folder, ct)).ExitCode);
        using var gateway = stack.App.CreateHttpClient("gateway", surface);
        using var agent = stack.App.CreateHttpClient("runneragent");

        var (exitCode, stdout) = await RunAsync("node",
            ["conformance.mjs", gateway.BaseAddress!.ToString().TrimEnd('/'), chatModel, agent.BaseAddress!.ToString().TrimEnd('/'), surface == "lmstudio" ? "no-retrieve" : "retrieve"], folder, ct);

        output.WriteLine(stdout);
        var lastLine = stdout.Trim().Split('\n')[^1];
        Assert.True(lastLine.StartsWith('{'), $"node exited {exitCode} without a report: {stdout}");
        using var report = JsonDocument.Parse(lastLine);
        var failed = report.RootElement.EnumerateObject().Where(step => !step.Value.GetProperty("ok").GetBoolean())
            .Select(step => $"{step.Name}: {step.Value.GetProperty("error").GetString()}").ToList();
        Assert.True(failed.Count == 0, string.Join('\n', failed));
        Assert.Equal(0, exitCode);
        Assert.Equal(9, report.RootElement.EnumerateObject().Count());
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
