using System.Net;
using System.Net.Sockets;

namespace LlamaAspire.AppHost.Hosting;

internal static class PortAllocator
{
    /// <summary>Gives every endpoint a concrete port now, so that references can name it before anything starts.</summary>
    public static void Allocate(IEnumerable<EndpointAnnotation> endpoints, bool randomize)
    {
        var taken = new HashSet<int>();
        foreach (var endpoint in endpoints)
        {
            if (endpoint.Port is { } fixedPort && !randomize)
            {
                if (!taken.Add(fixedPort)) throw new InvalidOperationException($"Port {fixedPort} is given to two endpoints.");
                endpoint.AllocatedPort = fixedPort;
                continue;
            }
            int port;
            do port = FreePort();
            while (!taken.Add(port));
            endpoint.AllocatedPort = port;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
