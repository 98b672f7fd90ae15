using System.Net;
using System.Net.Sockets;

namespace LlamaAspire.TestSupport.Network;

/// <summary>
/// Asks the OS for an unused ephemeral port. The port is released before it is returned, so another
/// process can win it; start-up code should retry on a bind failure.
/// </summary>
public static class FreePort
{
    public static int Next(IPAddress? address = null)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(address ?? IPAddress.Loopback, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }
}
