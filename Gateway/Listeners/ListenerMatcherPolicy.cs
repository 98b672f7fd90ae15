using Microsoft.AspNetCore.Routing.Matching;

namespace LlamaAspire.Gateway.Listeners;

/// <summary>
/// Routes by the local port a connection arrived on, not by the Host header, so that tunnels and proxies that
/// rewrite Host still reach the right API (GET /v1/models means something different on 11434 and on 1234).
/// </summary>
internal sealed class ListenerMatcherPolicy(ListenerPorts ports) : MatcherPolicy, IEndpointSelectorPolicy
{
    public override int Order => 0;

    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints) =>
        endpoints.Any(e => e.Metadata.GetMetadata<ListenerMetadata>() is not null);

    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        var localPort = httpContext.Connection.LocalPort;
        for (var i = 0; i < candidates.Count; i++)
        {
            if (candidates[i].Endpoint.Metadata.GetMetadata<ListenerMetadata>() is { } listener && ports.PortOf(listener.Listener) != localPort)
                candidates.SetValidity(i, false);
        }
        return Task.CompletedTask;
    }
}
