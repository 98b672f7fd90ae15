namespace LlamaAspire.ServiceDefaults.Discovery;

/// <summary>
/// What a request URI asks the resolver for. <c>https+http://runneragent</c> means service
/// "runneragent", preferring https over http; <c>http://_grpc.runneragent</c> names its "grpc" endpoint.
/// </summary>
internal sealed record ServiceEndpointQuery(IReadOnlyList<string> Schemes, string ServiceName, string? EndpointName)
{
    public static ServiceEndpointQuery FromUri(Uri requested)
    {
        var schemes = requested.Scheme.Split('+', StringSplitOptions.RemoveEmptyEntries);
        var host = requested.Host;

        var dot = host.IndexOf('.', StringComparison.Ordinal);
        if (host.StartsWith('_') && dot > 1 && !host.EndsWith('.'))
        {
            return new ServiceEndpointQuery(schemes, host[(dot + 1)..], host[1..dot]);
        }

        return new ServiceEndpointQuery(schemes, host, null);
    }

    /// <summary>Section names to try, in order: the named endpoint alone, else "default" then each scheme.</summary>
    public IEnumerable<string> CandidateEndpointNames() =>
        EndpointName is not null ? [EndpointName] : ["default", .. Schemes];
}
