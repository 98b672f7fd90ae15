using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Configuration;

namespace LlamaAspire.ServiceDefaults.Discovery;

/// <summary>
/// Turns <c>http://runneragent/x</c> into a concrete address using the same configuration layout and
/// selection rules as Microsoft.Extensions.ServiceDiscovery (configuration provider + pass-through):
/// <c>Services:&lt;service&gt;:&lt;endpoint&gt;[:&lt;index&gt;]</c>, env <c>services__runneragent__http__0</c>.
/// Configuration is read on every call, so reloads apply at once.
/// </summary>
public sealed class ServiceEndpointResolver(IConfiguration configuration)
{
    public const string SectionName = "Services";

    private readonly ConcurrentDictionary<string, StrongBox<int>> _roundRobin = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Returns the URI to send to. Unknown services come back unchanged, except that
    /// an <c>a+b</c> scheme is narrowed to <c>a</c>.</summary>
    public Uri Resolve(Uri requested)
    {
        ArgumentNullException.ThrowIfNull(requested);
        if (!requested.IsAbsoluteUri)
        {
            return requested;
        }

        var query = ServiceEndpointQuery.FromUri(requested);
        var candidates = SelectEndpoints(query);
        if (candidates.Count == 0)
        {
            return PassThrough(requested, query);
        }

        var picked = candidates[NextIndex(requested.GetLeftPart(UriPartial.Authority), candidates.Count)];
        return Rewrite(requested, query, picked);
    }

    private List<ServiceEndpoint> SelectEndpoints(ServiceEndpointQuery query)
    {
        var service = configuration.GetSection(SectionName).GetSection(query.ServiceName);
        if (!service.Exists())
        {
            return [];
        }

        var section = query.CandidateEndpointNames()
            .Select(service.GetSection)
            .FirstOrDefault(s => s.Exists());
        if (section is null)
        {
            return [];
        }

        return FilterBySchemePreference(ReadEndpoints(section), query.Schemes);
    }

    private static List<ServiceEndpoint> ReadEndpoints(IConfigurationSection section)
    {
        if (section.Value is { } single)
        {
            return string.IsNullOrWhiteSpace(single) ? [] : [ServiceEndpoint.Parse(single, section.Path)];
        }

        return section.GetChildren()
            .Select(child => (Index: ParseIndex(child), Child: child))
            .OrderBy(entry => entry.Index)
            .Where(entry => !string.IsNullOrWhiteSpace(entry.Child.Value))
            .Select(entry => ServiceEndpoint.Parse(entry.Child.Value!, entry.Child.Path))
            .ToList();
    }

    private static int ParseIndex(IConfigurationSection child) =>
        int.TryParse(child.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            ? index
            : throw new InvalidOperationException($"Service endpoint list '{child.Path}' must use numeric keys (0, 1, ...).");

    /// <summary>
    /// Keeps the URI endpoints whose scheme comes earliest in the requested list (so https beats http
    /// for <c>https+http</c>), drops URI endpoints of other schemes, and keeps every bare host endpoint.
    /// </summary>
    private static List<ServiceEndpoint> FilterBySchemePreference(List<ServiceEndpoint> endpoints, IReadOnlyList<string> schemes)
    {
        var rank = (ServiceEndpoint e) => IndexOf(schemes, e.Scheme!);
        var best = endpoints.Where(e => e.HasScheme).Select(rank).Where(r => r >= 0).DefaultIfEmpty(-1).Min();
        return endpoints.Where(e => !e.HasScheme || (best >= 0 && rank(e) == best)).ToList();
    }

    private static int IndexOf(IReadOnlyList<string> schemes, string scheme)
    {
        for (var i = 0; i < schemes.Count; i++)
        {
            if (string.Equals(schemes[i], scheme, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    private int NextIndex(string key, int count)
    {
        var counter = _roundRobin.GetOrAdd(key, static _ => new StrongBox<int>(-1));
        var next = (uint)Interlocked.Increment(ref counter.Value);
        return (int)(next % (uint)count);
    }

    private static Uri Rewrite(Uri requested, ServiceEndpointQuery query, ServiceEndpoint endpoint)
    {
        var scheme = endpoint.Scheme ?? FirstScheme(requested, query);
        var port = endpoint.Port > 0 ? endpoint.Port : requested.Port;
        var authority = port > 0 ? $"{endpoint.Host}:{port.ToString(CultureInfo.InvariantCulture)}" : endpoint.Host;
        var basePath = endpoint.BasePath is "" or "/" ? "" : endpoint.BasePath.TrimEnd('/');
        return new Uri($"{scheme}://{authority}{basePath}{requested.PathAndQuery}{requested.Fragment}");
    }

    private static Uri PassThrough(Uri requested, ServiceEndpointQuery query) =>
        query.Schemes.Count > 1
            ? Rewrite(requested, query, new ServiceEndpoint(null, requested.Host, requested.Port, "/"))
            : requested;

    private static string FirstScheme(Uri requested, ServiceEndpointQuery query) =>
        query.Schemes.Count > 0 ? query.Schemes[0] : requested.Scheme;
}
