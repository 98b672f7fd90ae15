namespace LlamaAspire.Gateway.Listeners;

/// <summary>
/// Which port serves which API. Each API is a named Kestrel endpoint (Kestrel:Endpoints:&lt;name&gt;:Url), the form
/// an Aspire AppHost overrides with Kestrel__Endpoints__&lt;name&gt;__Url.
/// </summary>
public sealed class ListenerPorts(IReadOnlyDictionary<string, int> ports)
{
    public const string Ollama = "ollama";
    public const string LmStudio = "lmstudio";
    public const string OpenAi = "openai";

    public int? PortOf(string listener) => ports.TryGetValue(listener, out var port) ? port : null;

    public static ListenerPorts FromConfiguration(IConfiguration configuration)
    {
        var ports = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var endpoint in configuration.GetSection("Kestrel:Endpoints").GetChildren())
        {
            var url = endpoint["Url"];
            // Kestrel accepts wildcard hosts (http://*:11434) that Uri does not.
            var normalized = url?.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
            if (!Uri.TryCreate(normalized, UriKind.Absolute, out var uri) || uri.Port <= 0)
                throw new InvalidOperationException($"Kestrel:Endpoints:{endpoint.Key}:Url must be an absolute URL with a port, got '{url}'.");
            ports[endpoint.Key] = uri.Port;
        }
        return new ListenerPorts(ports);
    }
}
