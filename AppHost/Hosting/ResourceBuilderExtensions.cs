namespace LlamaAspire.AppHost.Hosting;

/// <summary>The Aspire AppHost verbs, with the same names and meanings.</summary>
public static class ResourceBuilderExtensions
{
    public static IResourceBuilder<ProjectResource> WithHttpEndpoint(
        this IResourceBuilder<ProjectResource> builder, int? port = null, string? name = null, string? env = null)
    {
        var endpointName = name ?? "http";
        if (builder.Resource.Endpoints.Any(e => e.Name == endpointName))
            throw new InvalidOperationException($"Resource '{builder.Resource.Name}' already has an endpoint named '{endpointName}'.");
        builder.Resource.Endpoints.Add(new EndpointAnnotation(endpointName) { Port = port, PortEnvironmentVariable = env });
        return builder;
    }

    public static IResourceBuilder<ProjectResource> WithEndpoint(
        this IResourceBuilder<ProjectResource> builder, string name, Action<EndpointAnnotation> configure)
    {
        configure(builder.Resource.GetEndpoint(name));
        return builder;
    }

    public static IResourceBuilder<ProjectResource> WithExternalHttpEndpoints(this IResourceBuilder<ProjectResource> builder)
    {
        foreach (var endpoint in builder.Resource.Endpoints) endpoint.IsExternal = true;
        return builder;
    }

    public static IResourceBuilder<ProjectResource> WithReference(
        this IResourceBuilder<ProjectResource> builder, IResourceBuilder<ProjectResource> source)
    {
        builder.Resource.References.Add(source.Resource);
        return builder;
    }

    public static IResourceBuilder<ProjectResource> WaitFor(
        this IResourceBuilder<ProjectResource> builder, IResourceBuilder<ProjectResource> dependency)
    {
        builder.Resource.WaitsFor.Add(dependency.Resource);
        return builder;
    }

    /// <summary>Sets a variable; a null value leaves it unset. Later calls win, as in Aspire.</summary>
    public static IResourceBuilder<ProjectResource> WithEnvironment(
        this IResourceBuilder<ProjectResource> builder, string name, string? value)
    {
        builder.Resource.EnvironmentCallbacks.Add(env =>
        {
            if (value is not null) env[name] = value;
        });
        return builder;
    }

    public static IResourceBuilder<ProjectResource> WithEnvironment(
        this IResourceBuilder<ProjectResource> builder, Action<IDictionary<string, string>> callback)
    {
        builder.Resource.EnvironmentCallbacks.Add(callback);
        return builder;
    }

    public static IResourceBuilder<ProjectResource> WithArgs(this IResourceBuilder<ProjectResource> builder, params string[] args)
    {
        builder.Resource.Args.AddRange(args);
        return builder;
    }

    public static IResourceBuilder<ProjectResource> WithHttpHealthCheck(this IResourceBuilder<ProjectResource> builder, string path = "/health")
    {
        builder.Resource.HealthCheckPath = path;
        return builder;
    }
}
