namespace LlamaAspire.ServiceDefaults;

/// <summary>
/// Naming rules for our own telemetry. Every ActivitySource and Meter is called
/// <c>LlamaAspire.&lt;Service&gt;</c> or <c>LlamaAspire.&lt;Service&gt;.&lt;Area&gt;</c>, so one
/// wildcard subscription (<see cref="SourceWildcard"/>) picks them all up.
/// </summary>
public static class LlamaAspireTelemetry
{
    public const string SourcePrefix = "LlamaAspire.";

    public const string SourceWildcard = SourcePrefix + "*";

    /// <summary>Builds <c>LlamaAspire.&lt;service&gt;</c> or <c>LlamaAspire.&lt;service&gt;.&lt;area&gt;</c>.</summary>
    public static string SourceName(string service, string? area = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        return string.IsNullOrWhiteSpace(area)
            ? SourcePrefix + service
            : SourcePrefix + service + "." + area;
    }
}
