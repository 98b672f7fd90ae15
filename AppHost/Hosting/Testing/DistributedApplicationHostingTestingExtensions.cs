namespace LlamaAspire.AppHost.Hosting.Testing;

public static class DistributedApplicationHostingTestingExtensions
{
    /// <summary>A client whose BaseAddress is the resource's endpoint ("http" when no name is given).</summary>
    public static HttpClient CreateHttpClient(this DistributedApplication app, string resourceName, string? endpointName = null) =>
        new() { BaseAddress = app.GetEndpoint(resourceName, endpointName) };
}
