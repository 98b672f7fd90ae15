using System.Diagnostics;
using System.Globalization;
using LlamaAspire.TestSupport.LlamaServer;
using LlamaAspire.TestSupport.Models;
using LlamaAspire.TestSupport.Network;
using LlamaAspire.TestSupport.Processes;

namespace LlamaAspire.TestSupport.Tests.LlamaServer;

/// <summary>
/// llama.cpp's router spawns its children with LLAMA_SERVER_ROUTER_PORT set; they then report state on
/// stdout and watch stdin. These tests pin down that behaviour, which the RunnerAgent relies on.
/// </summary>
public sealed class RouterChildModeTests(ITestOutputHelper output)
{
    private const string StatePrefix = "cmd_child_to_router:state:";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RouterChild_StdinClosed_PrintsStateLinesAndExits()
    {
        using var dir = new TempDirectory("child-eof");
        await using var server = await StartChildAsync(dir);

        server.StandardInput.Close();
        var clock = Stopwatch.StartNew();
        var exited = await server.WaitForExitAsync(TimeSpan.FromSeconds(10));

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"stdin closed: exited={exited} after {clock.Elapsed.TotalMilliseconds:F1} ms, exit code {(exited ? server.Process.ExitCode : null)}"));
        output.WriteLine(server.StderrTail(3));
        Assert.True(exited);
        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task RouterChild_ExitCommand_ShutsDownGracefully()
    {
        using var dir = new TempDirectory("child-exit");
        await using var server = await StartChildAsync(dir);

        await server.StandardInput.WriteLineAsync("cmd_router_to_child:exit".AsMemory(), Ct);
        await server.StandardInput.FlushAsync(Ct);
        var clock = Stopwatch.StartNew();
        var exited = await server.WaitForExitAsync(TimeSpan.FromSeconds(10));

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"exit command: exited={exited} after {clock.Elapsed.TotalMilliseconds:F1} ms, exit code {(exited ? server.Process.ExitCode : null)}"));
        output.WriteLine(server.StderrTail(5));
        Assert.True(exited);
        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task RouterChild_StdinClosedWhileLoading_ExitsOnceLoaded()
    {
        using var dir = new TempDirectory("child-early-eof");
        var model = TinyModels.WriteChatModel(dir.Combine("tiny-child.gguf"));
        await using var server = await LlamaServerProcess.StartAsync(ChildOptions(model), Ct);

        // llama-server only starts watching stdin after the model is loaded, so EOF is noticed then.
        server.StandardInput.Close();
        var exited = await server.WaitForExitAsync(TimeSpan.FromSeconds(30));

        var states = server.StandardOutputLines.Where(l => l.StartsWith(StatePrefix, StringComparison.Ordinal)).ToList();
        output.WriteLine($"exited={exited}, exit code {(exited ? server.Process.ExitCode : null)}, state lines: {states.Count}");
        foreach (var line in states) output.WriteLine(line);
        Assert.True(exited);
        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task NormalMode_StdinClosed_KeepsServing()
    {
        using var dir = new TempDirectory("no-child");
        var model = TinyModels.WriteChatModel(dir.Combine("tiny.gguf"));
        int pid;
        await using (var server = await LlamaServerProcess.StartHealthyAsync(new() { ModelPath = model }, cancellationToken: Ct))
        {
            pid = server.Pid;
            server.StandardInput.Close();

            Assert.False(await server.WaitForExitAsync(TimeSpan.FromMilliseconds(500)));
            await server.WaitForHealthyAsync(TimeSpan.FromSeconds(5), Ct);
            Assert.DoesNotContain(server.StandardOutputLines, l => l.StartsWith(StatePrefix, StringComparison.Ordinal));
        }

        await ProcessAssert.ExitedAsync(pid);
        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    private static LlamaServerOptions ChildOptions(string model) => new()
    {
        ModelPath = model,
        Environment = new Dictionary<string, string?> { ["LLAMA_SERVER_ROUTER_PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture) },
    };

    private async Task<LlamaServerProcess> StartChildAsync(TempDirectory dir)
    {
        var model = TinyModels.WriteChatModel(dir.Combine("tiny-child.gguf"));
        var server = await LlamaServerProcess.StartAsync(ChildOptions(model), Ct);
        try
        {
            await server.WaitForOutputLineAsync(l => l.StartsWith(StatePrefix, StringComparison.Ordinal) && l.Contains("\"ready\"", StringComparison.Ordinal), TimeSpan.FromSeconds(60), Ct);
            await server.WaitForHealthyAsync(cancellationToken: Ct);
            foreach (var line in server.StandardOutputLines) output.WriteLine($"stdout: [{line}]");
            Assert.Contains(server.StandardOutputLines, l => l.StartsWith(StatePrefix + "{\"state\":\"loading\"", StringComparison.Ordinal));
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }
}
