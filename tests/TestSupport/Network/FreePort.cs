using System.Net;
using System.Net.Sockets;

namespace LlamaAspire.TestSupport.Network;

/// <summary>
/// An unused port, chosen below the range the OS hands out to outgoing connections (as the AppHost's allocator does):
/// inside that range any connection of any test process can take the port before it is bound. The port is released
/// before it is returned, so another listener can still win it; start-up code should retry on a bind failure.
/// </summary>
public static class FreePort
{
    private const int Lowest = 20000;

    public static int Next(IPAddress? address = null)
    {
        address ??= IPAddress.Loopback;
        var highest = Math.Min(EphemeralRangeStart(), 65536) - 1;
        for (var attempt = 0; attempt < 64 && highest > Lowest; attempt++)
        {
#pragma warning disable CA5394 // A test port, not a secret.
            var port = Random.Shared.Next(Lowest, highest + 1);
#pragma warning restore CA5394
            if (TryBind(address, port)) return port;
        }

        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(address, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }

    private static bool TryBind(IPAddress address, int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(address, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Linux says where its range starts; elsewhere it is IANA's 49152.</summary>
    private static int EphemeralRangeStart() =>
        File.Exists("/proc/sys/net/ipv4/ip_local_port_range")
        && int.TryParse(File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(),
            System.Globalization.CultureInfo.InvariantCulture, out var start)
            ? start
            : 49152;
}
