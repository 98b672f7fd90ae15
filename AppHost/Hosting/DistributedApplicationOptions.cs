namespace LlamaAspire.AppHost.Hosting;

public sealed class DistributedApplicationOptions
{
    /// <summary>The AppHost's environment; children get it as ASPNETCORE_ENVIRONMENT.</summary>
    public string EnvironmentName { get; set; } = "Production";

    /// <summary>Where children send OTLP. Null: Aspire's ASPIRE_DASHBOARD_OTLP_[HTTP_]ENDPOINT_URL if set, else no export.</summary>
    public string? OtlpEndpoint { get; set; }

    public string OtlpProtocol { get; set; } = "grpc";

    /// <summary>Replace every fixed port with a free one, as Aspire's testing builder does.</summary>
    public bool RandomizePorts { get; set; }

    /// <summary>SIGTERM, then this long, then kill the process tree. DCP uses 6 s.</summary>
    public TimeSpan ShutdownGracePeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a resource may take from spawn to a healthy /health.</summary>
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Where the children's prefixed output goes; null keeps it only in the resource logs.</summary>
    public TextWriter? ConsoleOutput { get; set; } = Console.Out;

    public bool IsDevelopment => string.Equals(EnvironmentName, "Development", StringComparison.OrdinalIgnoreCase);
}
