using System.Diagnostics;
using LlamaAspire.RunnerAgent.LlamaServer;
using LlamaAspire.RunnerAgent.Tests.Support;
using LlamaAspire.TestSupport;
using LlamaAspire.TestSupport.Processes;
using Binary = LlamaAspire.TestSupport.LlamaServer.LlamaServerBinary;

namespace LlamaAspire.RunnerAgent.Tests.LlamaServer;

/// <summary>
/// Why no llama-server outlives the agent: started as LlamaServerProcess starts it (its arguments, a stdin pipe,
/// LLAMA_SERVER_ROUTER_PORT=0; the setup itself is checked in LlamaServerProcessTests), it exits when the write end
/// of that pipe closes, which is what the kernel does when the agent dies in any way.
/// </summary>
public sealed class RouterChildStdinTests(ITestOutputHelper output)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Stdin_ClosedAfterReady_ProcessExits()
    {
        using var dir = new TempDirectory("runner-stdin");
        var model = Models.Chat(dir, "tiny-stdin");
        var binary = await Binary.GetPathAsync();
        var startInfo = new ProcessStartInfo(binary)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in LlamaServerArgs.For(new RunnerAgent.Processes.RunnerLaunch(model, binary), TestSupport.Network.FreePort.Next())) startInfo.ArgumentList.Add(arg);
        startInfo.Environment["LLAMA_SERVER_ROUTER_PORT"] = "0";
        using var process = Process.Start(startInfo)!;
        var stdout = new List<string>();
        process.OutputDataReceived += (_, e) => { if (e.Data is { } line) lock (stdout) stdout.Add(line); };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            // llama-server watches stdin only once the model is loaded.
            Assert.True(await Wait.UntilAsync(() => { lock (stdout) return stdout.Any(IsReadyState); }, TimeSpan.FromSeconds(60)), "never ready");

            process.StandardInput.Close();
            var clock = Stopwatch.StartNew();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.HasExited);
            output.WriteLine($"exited {clock.ElapsedMilliseconds} ms after stdin closed, exit code {process.ExitCode}");
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }

        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    private static bool IsReadyState(string line) =>
        line.StartsWith("cmd_child_to_router:state:", StringComparison.Ordinal) && line.Contains("\"ready\"", StringComparison.Ordinal);
}
