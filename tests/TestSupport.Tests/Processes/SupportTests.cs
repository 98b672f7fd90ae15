using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using LlamaAspire.TestSupport.Network;
using LlamaAspire.TestSupport.Processes;

namespace LlamaAspire.TestSupport.Tests.Processes;

public sealed class SupportTests
{
    [Fact]
    public void FreePort_Next_ReturnsAPortThatCanBeBound()
    {
        var port = FreePort.Next();

        using var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        Assert.InRange(port, 1024, 65535);
    }

    [Fact]
    public void FreePort_Next_IsBelowThePortsOutgoingConnectionsGet()
    {
        const string Range = "/proc/sys/net/ipv4/ip_local_port_range";
        Assert.SkipUnless(File.Exists(Range), "Linux only: elsewhere the range is IANA's.");
        var ephemeralStart = int.Parse(File.ReadAllText(Range).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0], System.Globalization.CultureInfo.InvariantCulture);

        var ports = Enumerable.Range(0, 20).Select(_ => FreePort.Next()).ToList();

        Assert.All(ports, port => Assert.InRange(port, 1024, ephemeralStart - 1));
    }

    [Fact]
    public void TempDirectory_Dispose_DeletesItWithContents()
    {
        string path;
        using (var dir = new TempDirectory("scratch"))
        {
            path = dir.Path;
            File.WriteAllText(dir.Combine("a.txt"), "x");
            Assert.True(Directory.Exists(path));
        }

        Assert.False(Directory.Exists(path));
    }

    [Fact]
    public async Task ProcessAssert_MarkedProcessAlive_FailsThenPassesOnceKilled()
    {
        using var dir = new TempDirectory("orphan");
        // "; true" keeps sh from exec-ing sleep, so the marker stays in the visible command line.
        using var process = Process.Start(new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", "sleep 30; true", dir.Path } })!;

        Assert.Single(ProcessTable.FindByCommandLine(dir.Path));
        var failure = await Assert.ThrowsAsync<ProcessAssertException>(() => ProcessAssert.NoneRunningAsync(dir.Path, TimeSpan.FromMilliseconds(100)));
        Assert.Contains(process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), failure.Message, StringComparison.Ordinal);

        process.Kill(entireProcessTree: true);
        await ProcessAssert.NoneRunningAsync(dir.Path);
        await ProcessAssert.ExitedAsync(process.Id);
    }

    [Fact]
    public void ProcessTable_Snapshot_SeesThisProcessWithItsParent()
    {
        var self = ProcessTable.TryRead(Environment.ProcessId);

        Assert.NotNull(self);
        Assert.True(self.ParentPid > 0);
        Assert.Contains(ProcessTable.Snapshot(), p => p.Pid == Environment.ProcessId);
    }
}
