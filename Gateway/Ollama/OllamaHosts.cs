using System.Net;

namespace LlamaAspire.Gateway.Ollama;

/// <summary>
/// Ollama's DNS-rebinding guard: while it listens on a loopback address, it serves only requests whose Host names
/// this machine (localhost, *.localhost, *.local, *.internal, its host name) or is an IP address that is loopback,
/// private, unspecified or one of its own. A web page on another site that resolves its own name to 127.0.0.1 is
/// refused. Listening on another address (e.g. 0.0.0.0, to serve the network) turns the guard off.
/// </summary>
public static class OllamaHosts
{
    private static readonly string[] LocalSuffixes = [".localhost", ".local", ".internal"];

    public static bool IsAllowed(string hostHeader, IPAddress? listenAddress, string machineName, Func<IPAddress, bool> isOwnAddress)
    {
        ArgumentNullException.ThrowIfNull(hostHeader);
        ArgumentNullException.ThrowIfNull(isOwnAddress);
        if (listenAddress is null || !IPAddress.IsLoopback(listenAddress)) return true;
        var host = HostOf(hostHeader).ToLowerInvariant();
        if (IPAddress.TryParse(host, out var address))
            return IPAddress.IsLoopback(address) || IsPrivate(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || isOwnAddress(address);
        return host.Length == 0 || host == "localhost" || string.Equals(host, machineName, StringComparison.OrdinalIgnoreCase)
            || LocalSuffixes.Any(suffix => host.EndsWith(suffix, StringComparison.Ordinal));
    }

    /// <summary>The host without its port: "[::1]:11434" is "::1", "localhost:11434" is "localhost".</summary>
    private static string HostOf(string hostHeader)
    {
        if (hostHeader.StartsWith('[') && hostHeader.IndexOf(']', StringComparison.Ordinal) is > 0 and var close) return hostHeader[1..close];
        var colon = hostHeader.LastIndexOf(':');
        return colon >= 0 && hostHeader.IndexOf(':', StringComparison.Ordinal) == colon ? hostHeader[..colon] : hostHeader;
    }

    // RFC 1918 and RFC 4193 ranges, as Go's netip.Addr.IsPrivate.
    private static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        var bytes = address.GetAddressBytes();
        return address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            ? bytes[0] == 10 || (bytes[0] == 172 && (bytes[1] & 0xF0) == 16) || (bytes[0] == 192 && bytes[1] == 168)
            : (bytes[0] & 0xFE) == 0xFC;
    }
}
