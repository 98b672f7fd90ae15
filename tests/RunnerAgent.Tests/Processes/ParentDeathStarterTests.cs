using System.Diagnostics;
using LlamaAspire.RunnerAgent.Processes;
using LlamaAspire.TestSupport;
using LlamaAspire.TestSupport.LlamaServer;
using LlamaAspire.TestSupport.Processes;

namespace LlamaAspire.RunnerAgent.Tests.Processes;

public sealed class ParentDeathStarterTests
{
    [Fact]
    public async Task Dispose_ChildIgnoringSigtermAndStdinEof_IsKilledWithTheStartingThread()
    {
        Assert.True(ParentDeathStarter.IsAvailable, "setpriv with --pdeathsig is part of util-linux on every supported Linux");
        using var dir = new TempDirectory("parent-death");
        // A server that ignores SIGTERM, the router's exit command and stdin EOF: only a kill ends it.
        var fake = FakeLlamaServerBinary.CreateLauncher(dir.Path, new Dictionary<string, string> { ["FAKE_LLAMA_IGNORE_SIGTERM"] = "1" });
        var starter = new ParentDeathStarter();
        var startInfo = new ProcessStartInfo(fake, ["--port", "0", "-m", dir.Combine("m.gguf")])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        startInfo.Environment["LLAMA_SERVER_ROUTER_PORT"] = "0";
        using var process = starter.Start(startInfo);
        while (await process.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken) is { } line && !line.Contains("\"ready\"", StringComparison.Ordinal))
        {
        }
        process.StandardInput.Close();
        await Task.Delay(200, TestContext.Current.CancellationToken);
        Assert.False(process.HasExited, "the fake ignores stdin EOF");

        starter.Dispose();

        using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await process.WaitForExitAsync(exited.Token);
        Assert.Equal(137, process.ExitCode);   // SIGKILL
        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task Start_Wrapped_KeepsTheProgramsArgumentsAndPid()
    {
        using var starter = new ParentDeathStarter();
        using var process = starter.Start(new ProcessStartInfo("sh", ["-c", "echo $$ \"$0\" \"$1\"", "a b", "c"]) { RedirectStandardOutput = true, UseShellExecute = false });

        var output = (await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken)).Trim();
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.Equal($"{process.Id} a b c", output);
    }
}
