using LlamaAspire.ServiceDefaults.Discovery;
using LlamaAspire.ServiceDefaults.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace LlamaAspire.ServiceDefaults.Tests.Discovery;

public sealed class ServiceEndpointResolverTests
{
    [Theory]
    // Plain name and the numbered list form (env services__svc__http__0).
    [InlineData("Services:svc:http=http://localhost:5000", "http://svc/x?q=1", "http://localhost:5000/x?q=1")]
    [InlineData("Services:svc:http:0=http://localhost:5000", "http://svc/x", "http://localhost:5000/x")]
    // Candidates are "default" first, then each requested scheme in order.
    [InlineData("Services:svc:default=http://localhost:5001; Services:svc:http=http://localhost:5002", "http://svc/x", "http://localhost:5001/x")]
    [InlineData("Services:svc:https=https://localhost:7000; Services:svc:http=http://localhost:5000", "https+http://svc/x", "https://localhost:7000/x")]
    [InlineData("Services:svc:http=http://localhost:5000", "https+http://svc/x", "http://localhost:5000/x")]
    [InlineData("Services:svc:default:0=http://localhost:5000; Services:svc:default:1=https://localhost:7000", "https+http://svc/x", "https://localhost:7000/x")]
    // A named endpoint: _endpoint.service.
    [InlineData("Services:svc:grpc=http://localhost:6000; Services:svc:http=http://localhost:5000", "http://_grpc.svc/x", "http://localhost:6000/x")]
    // A URI endpoint whose scheme was not asked for is dropped, leaving the name unresolved.
    [InlineData("Services:svc:http=https://localhost:7000", "http://svc/x", "http://svc/x")]
    // The service exists but has no candidate section.
    [InlineData("Services:svc:https=https://localhost:7000", "http://svc/x", "http://svc/x")]
    [InlineData("Services:svc:grpc=http://localhost:6000", "http://_missing.svc/x", "http://_missing.svc/x")]
    // Unknown names pass through; only an a+b scheme is narrowed to a.
    [InlineData("Services:svc:http=http://localhost:5000", "http://example.com/x", "http://example.com/x")]
    [InlineData("Services:svc:http=http://localhost:5000", "http://localhost:1234/x", "http://localhost:1234/x")]
    [InlineData("Services:svc:http=http://localhost:5000", "https+http://example.com/x", "https://example.com/x")]
    [InlineData("Services:svc:http=http://localhost:5000", "https+http://example.com:8443/x", "https://example.com:8443/x")]
    // Bare host[:port] takes the first requested scheme; without a port it keeps the request's.
    [InlineData("Services:svc:default=localhost:5000", "https+http://svc/x", "https://localhost:5000/x")]
    [InlineData("Services:svc:default=localhost", "http://svc:8080/x", "http://localhost:8080/x")]
    // The endpoint's base path prefixes the request path; escaping and fragments survive.
    [InlineData("Services:svc:http=http://localhost:5000/api/", "http://svc/v1/models", "http://localhost:5000/api/v1/models")]
    [InlineData("Services:svc:http=http://localhost:5000", "http://svc/a%20b#frag", "http://localhost:5000/a%20b#frag")]
    // The endpoint's port wins over the request's; names and keys are case-insensitive; IPv6 works.
    [InlineData("Services:svc:http=http://localhost:5000", "http://svc:1234/x", "http://localhost:5000/x")]
    [InlineData("Services:RunnerAgent:HTTP=http://localhost:5000", "http://runneragent/x", "http://localhost:5000/x")]
    [InlineData("Services:svc:http=http://[::1]:5000", "http://svc/x", "http://[::1]:5000/x")]
    public void Resolve_ConfiguredTable_ReturnsExpectedUri(string configuration, string requested, string expected)
    {
        var resolver = new ServiceEndpointResolver(ConfigText.Parse(configuration));

        var resolved = resolver.Resolve(new Uri(requested));

        Assert.Equal(new Uri(expected), resolved);
    }

    [Fact]
    public void Resolve_SeveralEndpoints_RotatesRoundRobin()
    {
        var resolver = new ServiceEndpointResolver(ConfigText.Parse(
            "Services:svc:http:0=http://localhost:5001; Services:svc:http:1=http://localhost:5002"));

        var ports = Enumerable.Range(0, 4).Select(_ => resolver.Resolve(new Uri("http://svc/x")).Port).ToArray();

        Assert.Equal([5001, 5002, 5001, 5002], ports);
    }

    [Fact]
    public void Resolve_MixedSchemesAndBareHosts_KeepsPreferredSchemeAndBareHosts()
    {
        var resolver = new ServiceEndpointResolver(ConfigText.Parse(
            "Services:svc:default:0=http://localhost:5001; Services:svc:default:1=https://localhost:7001; Services:svc:default:2=localhost:9001"));

        var resolved = Enumerable.Range(0, 4).Select(_ => resolver.Resolve(new Uri("https+http://svc/")).GetLeftPart(UriPartial.Authority)).ToArray();

        Assert.Equal(["https://localhost:7001", "https://localhost:9001", "https://localhost:7001", "https://localhost:9001"], resolved);
    }

    [Fact]
    public void Resolve_ConfigurationChanges_UsesNewValueImmediately()
    {
        var configuration = ConfigText.Parse("Services:svc:http=http://localhost:5001");
        var resolver = new ServiceEndpointResolver(configuration);
        Assert.Equal(5001, resolver.Resolve(new Uri("http://svc/")).Port);

        configuration["Services:svc:http"] = "http://localhost:5002";

        Assert.Equal(5002, resolver.Resolve(new Uri("http://svc/")).Port);
    }

    [Fact]
    public void Resolve_EnvironmentVariableForm_ResolvesLikeConfigKeys()
    {
        var service = "envsvc" + Guid.NewGuid().ToString("N")[..8];
        var variable = $"services__{service}__http__0";
        Environment.SetEnvironmentVariable(variable, "http://localhost:5123");
        try
        {
            var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
            var resolver = new ServiceEndpointResolver(configuration);

            Assert.Equal(new Uri("http://localhost:5123/p"), resolver.Resolve(new Uri($"http://{service}/p")));
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Theory]
    [InlineData("Services:svc:http:first=http://localhost:5000")]
    [InlineData("Services:svc:http=http://")]
    public void Resolve_MalformedConfiguration_ThrowsNamingTheKey(string configuration)
    {
        var resolver = new ServiceEndpointResolver(ConfigText.Parse(configuration));

        var error = Assert.Throws<InvalidOperationException>(() => resolver.Resolve(new Uri("http://svc/")));

        Assert.Contains("Services:svc:http", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Resolve_RelativeUri_ReturnsItUnchanged()
    {
        var resolver = new ServiceEndpointResolver(ConfigText.Parse("Services:svc:http=http://localhost:5000"));
        var relative = new Uri("/x", UriKind.Relative);

        Assert.Same(relative, resolver.Resolve(relative));
    }
}
