using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

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

    /// <summary>
    /// A port free now, chosen below the range the OS hands out to outgoing connections: a port found free inside that
    /// range can be taken by any connection before the service binds it ("address already in use"; it happened in CI
    /// while other processes were busy), while below it only another listener can take it.
    /// </summary>
    private static int FreePort()
    {
        const int Lowest = 20000;
        var highest = Math.Min(EphemeralRangeStart(), 65536) - 1;
        for (var attempt = 0; attempt < 64 && highest > Lowest; attempt++)
        {
            var port = RandomNumberGenerator.GetInt32(Lowest, highest + 1);
            if (CanListenOn(port)) return port;
        }

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool CanListenOn(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Linux says where its range starts; elsewhere it is IANA's 49152 (Windows, macOS).</summary>
    private static int EphemeralRangeStart()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (range.Length > 0 && int.TryParse(range[0], System.Globalization.CultureInfo.InvariantCulture, out var start)) return start;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not Linux, or not readable: use IANA's range.
        }

        return 49152;
    }
}
