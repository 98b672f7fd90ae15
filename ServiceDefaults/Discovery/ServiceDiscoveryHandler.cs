namespace LlamaAspire.ServiceDefaults.Discovery;

/// <summary>
/// Sends each request to the resolved address and puts the logical URI back afterwards, so retries,
/// logs and callers keep seeing <c>http://runneragent/...</c>.
/// </summary>
internal sealed class ServiceDiscoveryHandler(ServiceEndpointResolver resolver) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var original = request.RequestUri;
        request.RequestUri = ResolveOrKeep(original);
        try
        {
            return await base.SendAsync(request, cancellationToken);
        }
        finally
        {
            request.RequestUri = original;
        }
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var original = request.RequestUri;
        request.RequestUri = ResolveOrKeep(original);
        try
        {
            return base.Send(request, cancellationToken);
        }
        finally
        {
            request.RequestUri = original;
        }
    }

    private Uri? ResolveOrKeep(Uri? uri) => uri is { IsAbsoluteUri: true } ? resolver.Resolve(uri) : uri;
}
