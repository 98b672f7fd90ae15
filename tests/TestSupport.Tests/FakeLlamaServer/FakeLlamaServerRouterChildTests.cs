using System.Globalization;
using System.Text.RegularExpressions;
using LlamaAspire.TestSupport.Processes;
using static LlamaAspire.TestSupport.Tests.FakeLlamaServer.FakeServer;

namespace LlamaAspire.TestSupport.Tests.FakeLlamaServer;

/// <summary>With LLAMA_SERVER_ROUTER_PORT set the fake speaks llama.cpp's router-child protocol, like the real one.</summary>
public sealed partial class FakeLlamaServerRouterChildTests
{
    private const string StatePrefix = "cmd_child_to_router:state:";

    [Fact]
    public async Task Start_Port0_PrintsListeningLineWithBoundPortAndStateLines()
    {
        using var dir = new TempDirectory("fake-port0");
        await using (var server = await StartAsync(dir, RouterChild(), port: 0))
        {
            var line = await WaitForStderrLineAsync(server, "listening on http://");
            var port = int.Parse(ListeningPort().Match(line).Groups[1].Value, CultureInfo.InvariantCulture);
            using var health = await Http.GetAsync(new Uri($"http://127.0.0.1:{port}/health"), Ct);
            await server.WaitForOutputLineAsync(l => l.StartsWith(StatePrefix + """{"state":"ready""", StringComparison.Ordinal), TimeSpan.FromSeconds(30), Ct);

            Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
            var states = server.StandardOutputLines.Where(l => l.StartsWith(StatePrefix, StringComparison.Ordinal)).Select(l => Parse(l[StatePrefix.Length..])).ToList();
            Assert.Equal("loading", states[0].GetProperty("state").GetString());
            Assert.Equal(0, states[0].GetProperty("payload").GetProperty("value").GetDouble());
            Assert.Equal(1, states[^2].GetProperty("payload").GetProperty("value").GetDouble());
            Assert.Equal("fake-model", states[^1].GetProperty("payload").GetProperty("id").GetString());
        }
        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task Stop_ExitCommand_ExitsWithZero()
    {
        using var dir = new TempDirectory("fake-exitcmd");
        await using (var server = await StartHealthyAsync(dir, RouterChild()))
        {
            await WaitForStderrLineAsync(server, "waiting for EOF on stdin");
            await server.StandardInput.WriteLineAsync("cmd_router_to_child:exit".AsMemory(), Ct);
            await server.StandardInput.FlushAsync(Ct);

            Assert.True(await server.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            Assert.Equal(0, server.Process.ExitCode);
        }
        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task Stop_StdinClosed_ExitsWithZero()
    {
        using var dir = new TempDirectory("fake-eof");
        await using (var server = await StartHealthyAsync(dir, RouterChild()))
        {
            server.StandardInput.Close();

            Assert.True(await server.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            Assert.Equal(0, server.Process.ExitCode);
        }
        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task Start_NotRouterChild_PrintsNoStateLines()
    {
        using var dir = new TempDirectory("fake-plain");
        await using (var server = await StartHealthyAsync(dir))
        {
            using var health = await Http.GetAsync(new Uri(server.BaseAddress, "health"), Ct);

            Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
            Assert.DoesNotContain(server.StandardOutputLines, l => l.StartsWith(StatePrefix, StringComparison.Ordinal));
        }
        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    private static Dictionary<string, string?> RouterChild() => new() { ["LLAMA_SERVER_ROUTER_PORT"] = "0" };

    [GeneratedRegex(@"listening on http://127\.0\.0\.1:(\d+)")]
    private static partial Regex ListeningPort();
}
