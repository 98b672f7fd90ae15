namespace LlamaAspire.AppHost.Hosting;

/// <summary>A .NET service the AppHost runs as a child process: Aspire's ProjectResource, without DCP.</summary>
public sealed class ProjectResource(string name, IProjectMetadata project)
{
    public string Name { get; } = name;

    public IProjectMetadata Project { get; } = project;

    public List<EndpointAnnotation> Endpoints { get; } = [];

    public List<ProjectResource> References { get; } = [];

    public List<ProjectResource> WaitsFor { get; } = [];

    public List<Action<IDictionary<string, string>>> EnvironmentCallbacks { get; } = [];

    public List<string> Args { get; } = [];

    public string? HealthCheckPath { get; set; }

    /// <summary>DCP's per-replica suffix; it becomes <c>service.instance.id</c>.</summary>
    public string InstanceId { get; } = NewInstanceId();

    public EndpointAnnotation GetEndpoint(string? name = null) =>
        (name is null
            ? Endpoints.FirstOrDefault(e => e.Name == "https") ?? Endpoints.FirstOrDefault(e => e.Name == "http") ?? Endpoints.FirstOrDefault()
            : Endpoints.FirstOrDefault(e => e.Name == name))
        ?? throw new InvalidOperationException($"Resource '{Name}' has no endpoint named '{name ?? "http"}'.");

    private static string NewInstanceId() =>
        string.Create(8, 0, static (span, _) =>
        {
            for (var i = 0; i < span.Length; i++) span[i] = (char)('a' + Random.Shared.Next(26));
        });
}
