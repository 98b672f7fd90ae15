using Microsoft.AspNetCore.Http;

namespace LlamaAspire.ServiceDefaults.Health;

/// <summary>The probe endpoints mapped by <c>MapDefaultEndpoints</c>.</summary>
public static class HealthEndpointPaths
{
    /// <summary>Readiness: every registered check.</summary>
    public const string Health = "/health";

    /// <summary>Liveness: only the checks tagged <see cref="LiveTag"/>.</summary>
    public const string Alive = "/alive";

    public const string LiveTag = "live";

    public static bool IsProbe(PathString path) =>
        path.StartsWithSegments(Health, StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments(Alive, StringComparison.OrdinalIgnoreCase);
}
