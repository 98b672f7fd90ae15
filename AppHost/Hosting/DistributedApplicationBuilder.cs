namespace LlamaAspire.AppHost.Hosting;

/// <summary>Collects the resources of the application, as Aspire's builder does.</summary>
public sealed class DistributedApplicationBuilder(DistributedApplicationOptions options)
{
    private readonly List<ProjectResource> _resources = [];

    public DistributedApplicationOptions Options { get; } = options;

    public IReadOnlyList<ProjectResource> Resources => _resources;

    public IResourceBuilder<ProjectResource> AddProject<TProject>(string name) where TProject : IProjectMetadata, new()
    {
        if (_resources.Any(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase)))
            throw new InvalidOperationException($"A resource named '{name}' already exists.");
        var resource = new ProjectResource(name, new TProject());
        _resources.Add(resource);
        return new ResourceBuilder<ProjectResource>(resource, this);
    }

    public DistributedApplication Build()
    {
        PortAllocator.Allocate(_resources.SelectMany(r => r.Endpoints), Options.RandomizePorts);
        return new DistributedApplication(StartOrder(), Options, TimeProvider.System);
    }

    /// <summary>Dependencies (WaitFor and WithReference) first; a cycle is a bug in the AppHost.</summary>
    private List<ProjectResource> StartOrder()
    {
        var ordered = new List<ProjectResource>();
        var visiting = new HashSet<ProjectResource>();
        void Visit(ProjectResource resource)
        {
            if (ordered.Contains(resource)) return;
            if (!visiting.Add(resource)) throw new InvalidOperationException($"Resource '{resource.Name}' depends on itself.");
            foreach (var dependency in resource.WaitsFor.Concat(resource.References)) Visit(dependency);
            ordered.Add(resource);
        }
        foreach (var resource in _resources) Visit(resource);
        return ordered;
    }
}
