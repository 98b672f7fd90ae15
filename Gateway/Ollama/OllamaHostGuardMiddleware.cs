using System.Net;
using System.Net.NetworkInformation;
using LlamaAspire.Gateway.Listeners;

namespace LlamaAspire.Gateway.Ollama;

/// <summary>
/// <see cref="OllamaHosts"/> on the Ollama port: a request whose Host header is not this machine gets 403, as from
/// Ollama, here with a JSON body that says why.
/// </summary>
public sealed class OllamaHostGuardMiddleware(RequestDelegate next, ListenerPorts ports)
{
    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Connection.LocalPort != ports.PortOf(ListenerPorts.Ollama)
            || OllamaHosts.IsAllowed(context.Request.Host.Value ?? "", context.Connection.LocalIpAddress, Environment.MachineName, IsOwnAddress))
            return next(context);
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return context.Response.WriteAsJsonAsync(new OllamaErrorResponse(
            $"host '{context.Request.Host.Value}' is not allowed: this server listens on a loopback address and only serves requests addressed to this machine"));
    }

    private static bool IsOwnAddress(IPAddress address) =>
        NetworkInterface.GetAllNetworkInterfaces().Any(nic => nic.GetIPProperties().UnicastAddresses.Any(a => a.Address.Equals(address)));
}
