using System.Net;
using System.Net.Sockets;
using LlamaAspire.AppHost.Hosting;

namespace LlamaAspire.AppHost.Tests;

public sealed class PortAllocatorTests
{
    [Fact]
    public void Allocate_Randomized_GivesDistinctFreePortsBelowTheOutgoingConnectionRange()
    {
        const string Range = "/proc/sys/net/ipv4/ip_local_port_range";
        var ephemeralStart = File.Exists(Range)
            ? int.Parse(File.ReadAllText(Range).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0], System.Globalization.CultureInfo.InvariantCulture)
            : 49152;
        var endpoints = Enumerable.Range(0, 12).Select(i => new EndpointAnnotation($"e{i}") { Port = i == 0 ? 11434 : null }).ToList();

        PortAllocator.Allocate(endpoints, randomize: true);

        var ports = endpoints.Select(e => e.AllocatedPort).ToList();
        Assert.Equal(ports.Count, ports.Distinct().Count());
        Assert.All(ports, port => Assert.InRange(port, 1024, ephemeralStart - 1));
        foreach (var port in ports)
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
        }
    }

    [Fact]
    public void Allocate_NotRandomized_KeepsFixedPorts()
    {
        var endpoints = new[] { new EndpointAnnotation("ollama") { Port = 11434 }, new EndpointAnnotation("http") };

        PortAllocator.Allocate(endpoints, randomize: false);

        Assert.Equal(11434, endpoints[0].AllocatedPort);
        Assert.NotEqual(0, endpoints[1].AllocatedPort);
    }
}
