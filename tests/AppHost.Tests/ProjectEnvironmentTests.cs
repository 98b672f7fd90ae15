using LlamaAspire.AppHost.Hosting;
using LlamaAspire.TestSupport;
using LlamaAspire.TestSupport.LlamaServer;
using LlamaAspire.TestSupport.Models;
using LlamaAspire.TestSupport.Network;
using LlamaAspire.TestSupport.Processes;

namespace LlamaAspire.AppHost.Tests;

public sealed class ProjectEnvironmentTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Build_ReferencedProject_InjectsServiceDiscoveryInBothAspireForms()
    {
        var runner = Resource("runner-agent", ("http", 5101));
        var gateway = Resource("gateway", ("http", 5100));
        gateway.References.Add(runner);

        var env = ProjectEnvironment.Build(gateway, new DistributedApplicationOptions());

        Assert.Equal("http://127.0.0.1:5101", env["services__runner-agent__http__0"]);
        Assert.Equal("http://127.0.0.1:5101", env["RUNNER_AGENT_HTTP"]);
        Assert.Equal("http://127.0.0.1:5100", env["ASPNETCORE_URLS"]);
    }

    [Fact]
    public void Build_Always_SetsServiceNameInstanceIdAndConsoleDefaults()
    {
        var resource = Resource("metadata", ("http", 5200));

        var env = ProjectEnvironment.Build(resource, new DistributedApplicationOptions { EnvironmentName = "Production" });

        Assert.Equal("metadata", env["OTEL_SERVICE_NAME"]);
        Assert.Matches("^service.instance.id=[a-z]{8}$", env["OTEL_RESOURCE_ATTRIBUTES"]);
        Assert.Equal("Production", env["ASPNETCORE_ENVIRONMENT"]);
        Assert.Equal("simple", env["LOGGING__CONSOLE__FORMATTERNAME"]);
        Assert.Equal("in_memory", env["OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY"]);
        Assert.False(env.ContainsKey("OTEL_TRACES_SAMPLER"));   // Development only
    }

    [Fact]
    public void Build_OtlpEndpointConfigured_InjectsEndpointAndProtocol()
    {
        var resource = Resource("gateway", ("http", 5100));
        var options = new DistributedApplicationOptions { OtlpEndpoint = "http://127.0.0.1:4318", OtlpProtocol = "http/protobuf", EnvironmentName = "Development" };

        var env = ProjectEnvironment.Build(resource, options);

        Assert.Equal("http://127.0.0.1:4318", env["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Equal("http/protobuf", env["OTEL_EXPORTER_OTLP_PROTOCOL"]);
        Assert.Equal("always_on", env["OTEL_TRACES_SAMPLER"]);
        Assert.Equal("1000", env["OTEL_BSP_SCHEDULE_DELAY"]);
    }

    [Fact]
    public void Build_ProjectDeclaringKestrelEndpoints_GetsOneUrlPerEndpointInsteadOfAspNetCoreUrls()
    {
        File.WriteAllText(Path.Combine(_dir.Path, "appsettings.json"), """{ "Kestrel": { "Endpoints": { "ollama": { "Url": "http://127.0.0.1:11434" } } } }""");
        var gateway = Resource("gateway", ("http", 5100), ("ollama", 21434));
        gateway.Endpoints[1].TargetHost = "0.0.0.0";

        var env = ProjectEnvironment.Build(gateway, new DistributedApplicationOptions());

        Assert.False(env.ContainsKey("ASPNETCORE_URLS"));
        Assert.Equal("http://127.0.0.1:5100", env["Kestrel__Endpoints__http__Url"]);
        Assert.Equal("http://0.0.0.0:21434", env["Kestrel__Endpoints__ollama__Url"]);
    }

    [Fact]
    public void Build_WildcardBindReferenced_ClientsUseLoopback()
    {
        var dashboard = Resource("dashboard", ("http", 8035));
        dashboard.Endpoints[0].TargetHost = "0.0.0.0";
        var other = Resource("other", ("http", 1));
        other.References.Add(dashboard);

        var env = ProjectEnvironment.Build(other, new DistributedApplicationOptions());

        Assert.Equal("http://127.0.0.1:8035", env["services__dashboard__http__0"]);
    }

    [Fact]
    public void Build_WithEnvironmentCallbacks_LastWriterWins()
    {
        var resource = Resource("metadata", ("http", 5200));
        resource.EnvironmentCallbacks.Add(env => env["OTEL_SERVICE_NAME"] = "renamed");
        resource.EnvironmentCallbacks.Add(env => env["Metadata__ModelDirs__0"] = "/models");

        var env = ProjectEnvironment.Build(resource, new DistributedApplicationOptions());

        Assert.Equal("renamed", env["OTEL_SERVICE_NAME"]);
        Assert.Equal("/models", env["Metadata__ModelDirs__0"]);
    }

    [Theory]
    [InlineData("runneragent", "runneragent")]
    [InlineData("RUNNER-AGENT", "RUNNER_AGENT")]
    [InlineData("1st", "_1st")]
    public void EncodeName_AspireRules(string name, string expected) => Assert.Equal(expected, ProjectEnvironment.EncodeName(name));

    private ProjectResource Resource(string name, params (string Name, int Port)[] endpoints)
    {
        var resource = new ProjectResource(name, new FakeProject(Path.Combine(_dir.Path, $"{name}.csproj")));
        foreach (var (endpointName, port) in endpoints)
            resource.Endpoints.Add(new EndpointAnnotation(endpointName) { Port = port, AllocatedPort = port });
        return resource;
    }

    private sealed record FakeProject(string ProjectPath) : IProjectMetadata
    {
        public string AssemblyPath => Path.ChangeExtension(ProjectPath, ".dll");
    }
}
