using System.Net;
using LlamaAspire.Gateway.Tests.Support;
using LlamaAspire.TestSupport.Processes;

namespace LlamaAspire.Gateway.Tests;

/// <summary>The harness itself: the Gateway starts on its own ports, serves probes, and leaves nothing behind.</summary>
public sealed class GatewayProcessTests
{
    [Fact]
    public async Task DisposeAsync_HealthyGateway_StopsTheProcess()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var metadata = await FakeMetadataService.StartWithModelsAsync(ct, "a");
        var gateway = await GatewayProcess.StartHealthyAsync(metadata.BaseAddress, ct);
        var pid = gateway.Pid;

        await gateway.DisposeAsync();

        Assert.False(ProcessTable.IsRunning(pid), $"pid {pid} still running");
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/alive")]
    public async Task Probes_OnInternalPort_AnswerHealthy(string path)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var metadata = await FakeMetadataService.StartWithModelsAsync(ct, "a");
        await using var gateway = await GatewayProcess.StartHealthyAsync(metadata.BaseAddress, ct);

        using var response = await gateway.Http.GetAsync(new Uri(path, UriKind.Relative), ct);

        Assert.Equal("Healthy", await HttpAssert.TextAsync(response, HttpStatusCode.OK, "text/plain", ct));
    }
}
