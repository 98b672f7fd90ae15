using LlamaAspire.ServiceDefaults.Discovery;
using LlamaAspire.ServiceDefaults.Http;
using LlamaAspire.ServiceDefaults.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LlamaAspire.ServiceDefaults.Tests.Http;

public sealed class HttpClientDefaultsTests
{
    [Fact]
    public void AddServiceDefaults_AnyNamedClient_PutsResilienceOutsideDiscovery()
    {
        using var host = BuildHost();

        var chain = HandlerChain.Flatten(host.Services.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler("metadata"));

        var resilience = chain.FindIndex(h => h is ControlPlaneResilienceHandler);
        var discovery = chain.FindIndex(h => h is ServiceDiscoveryHandler);
        Assert.InRange(resilience, 0, discovery - 1);
    }

    [Theory]
    [InlineData("OtlpTraceExporter")]
    [InlineData("OtlpMetricExporter")]
    [InlineData("OtlpLogExporter")]
    public void AddServiceDefaults_OtlpExporterClients_GetNoControlPlaneResilience(string clientName)
    {
        using var host = BuildHost();

        var chain = HandlerChain.Flatten(host.Services.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(clientName));

        Assert.DoesNotContain(chain, h => h is ControlPlaneResilienceHandler);
    }

    private static IHost BuildHost()
    {
        var builder = HostFactory.CreateHostBuilder();
        builder.AddServiceDefaults();
        return builder.Build();
    }
}
