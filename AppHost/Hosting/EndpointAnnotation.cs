namespace LlamaAspire.AppHost.Hosting;

/// <summary>
/// A listening endpoint of a resource. Our AppHost has no proxy (Aspire's isProxied: false),
/// so the port clients use is the port the process binds.
/// </summary>
public sealed class EndpointAnnotation(string name, string scheme = "http")
{
    public string Name { get; } = name;

    public string Scheme { get; } = scheme;

    /// <summary>The address the process binds.</summary>
    public string TargetHost { get; set; } = "127.0.0.1";

    /// <summary>A fixed port, or null to allocate a free one when the application is built.</summary>
    public int? Port { get; set; }

    /// <summary>Shown to the user when everything is up.</summary>
    public bool IsExternal { get; set; }

    /// <summary>Name of an environment variable that receives the port, for processes that don't read ASPNETCORE_URLS.</summary>
    public string? PortEnvironmentVariable { get; set; }

    public int AllocatedPort { get; internal set; }

    public string BindUrl => $"{Scheme}://{FormatHost(TargetHost)}:{AllocatedPort}";

    /// <summary>The URL other processes on this machine use: a wildcard bind is reached through loopback.</summary>
    public string Url => $"{Scheme}://{FormatHost(ClientHost)}:{AllocatedPort}";

    private string ClientHost => TargetHost switch
    {
        "0.0.0.0" or "*" or "+" => "127.0.0.1",
        "::" => "::1",
        _ => TargetHost,
    };

    private static string FormatHost(string host) => host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host;
}
