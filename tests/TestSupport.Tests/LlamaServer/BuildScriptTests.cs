using System.Diagnostics;
using LlamaAspire.TestSupport;
using LlamaAspire.TestSupport.LlamaServer;

namespace LlamaAspire.TestSupport.Tests.LlamaServer;

/// <summary>scripts/build-llama-server.sh, run for real, for the cases that do not start a build.</summary>
public sealed class BuildScriptTests
{
    [Fact]
    public async Task BuildScript_ToolsMissing_NamesThemAndExits3()
    {
        using var dir = new TempDirectory();
        var emptyPath = Directory.CreateDirectory(dir.Combine("empty-path")).FullName;

        var (exitCode, stderr) = await RunScriptAsync(emptyPath, "--home", dir.Combine("home"));

        Assert.Equal(3, exitCode);
        Assert.Contains("missing npm cmake g++ git tar; install them", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.Combine("home")), "nothing is written before the tools are known to be there");
    }

    [Fact]
    public async Task BuildScript_UnknownArgument_Exits2()
    {
        var (exitCode, stderr) = await RunScriptAsync(Environment.GetEnvironmentVariable("PATH")!, "--frobnicate");

        Assert.Equal(2, exitCode);
        Assert.Contains("unknown argument '--frobnicate'", stderr, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Stderr)> RunScriptAsync(string path, params string[] args)
    {
        var script = Path.Combine(LlamaServerLocator.FindRepositoryRoot()!, "scripts", "build-llama-server.sh");
        var startInfo = new ProcessStartInfo("/bin/bash") { RedirectStandardError = true, RedirectStandardOutput = true };
        startInfo.ArgumentList.Add(script);
        foreach (var arg in args) startInfo.ArgumentList.Add(arg);
        startInfo.Environment["PATH"] = path;
        startInfo.Environment.Remove("LLAMA_ASPIRE_HOME");
        using var process = Process.Start(startInfo)!;
        var stderr = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, stderr);
    }
}
