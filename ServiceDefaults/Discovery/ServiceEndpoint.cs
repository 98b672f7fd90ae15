namespace LlamaAspire.ServiceDefaults.Discovery;

/// <summary>
/// One configured address: either a full URI (its scheme counts) or a bare <c>host[:port]</c>
/// (it takes the request's first scheme and is never filtered out by scheme).
/// </summary>
internal sealed record ServiceEndpoint(string? Scheme, string Host, int Port, string BasePath)
{
    private const string BareHostScheme = "bare";

    public bool HasScheme => Scheme is not null;

    public static ServiceEndpoint Parse(string value, string configPath)
    {
        var trimmed = value.Trim();
        var hasScheme = trimmed.Contains("://", StringComparison.Ordinal);
        var text = hasScheme ? trimmed : $"{BareHostScheme}://{trimmed}";

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new InvalidOperationException($"Service endpoint '{value}' at '{configPath}' is neither an absolute URI nor host[:port].");
        }

        return hasScheme
            ? new ServiceEndpoint(uri.Scheme, uri.Host, uri.Port, uri.AbsolutePath)
            : new ServiceEndpoint(null, uri.Host, uri.Port, "/");
    }
}
