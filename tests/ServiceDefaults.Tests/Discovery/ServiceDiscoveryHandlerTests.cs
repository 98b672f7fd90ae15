using LlamaAspire.ServiceDefaults.Discovery;
using LlamaAspire.ServiceDefaults.Tests.Support;

namespace LlamaAspire.ServiceDefaults.Tests.Discovery;

public sealed class ServiceDiscoveryHandlerTests
{
    [Fact]
    public async Task SendAsync_ServiceName_SendsToResolvedUriAndRestoresOriginal()
    {
        var terminal = new RecordingHandler();
        using var handler = new ServiceDiscoveryHandler(new ServiceEndpointResolver(ConfigText.Parse("Services:svc:http=http://localhost:5000")))
        {
            InnerHandler = terminal,
        };
        using var invoker = new HttpMessageInvoker(handler);
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://svc/models?x=1");

        using var response = await invoker.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(new Uri("http://localhost:5000/models?x=1"), terminal.SeenUris.Single());
        Assert.Equal(new Uri("http://svc/models?x=1"), request.RequestUri);
    }

    [Fact]
    public void Send_ServiceName_SendsToResolvedUriAndRestoresOriginal()
    {
        var terminal = new RecordingHandler();
        using var handler = new ServiceDiscoveryHandler(new ServiceEndpointResolver(ConfigText.Parse("Services:svc:http=http://localhost:5000")))
        {
            InnerHandler = terminal,
        };
        using var invoker = new HttpMessageInvoker(handler);
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://svc/a");

        using var response = invoker.Send(request, TestContext.Current.CancellationToken);

        Assert.Equal(new Uri("http://localhost:5000/a"), terminal.SeenUris.Single());
        Assert.Equal(new Uri("http://svc/a"), request.RequestUri);
    }

    [Fact]
    public async Task SendAsync_InnerHandlerThrows_StillRestoresOriginal()
    {
        using var handler = new ServiceDiscoveryHandler(new ServiceEndpointResolver(ConfigText.Parse("Services:svc:http=http://localhost:5000")))
        {
            InnerHandler = new RecordingHandler { Failure = new HttpRequestException("refused") },
        };
        using var invoker = new HttpMessageInvoker(handler);
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://svc/a");

        await Assert.ThrowsAsync<HttpRequestException>(() => invoker.SendAsync(request, TestContext.Current.CancellationToken));

        Assert.Equal(new Uri("http://svc/a"), request.RequestUri);
    }

    private sealed class RecordingHandler : HttpMessageHandler
    {
        public List<Uri?> SeenUris { get; } = [];

        public Exception? Failure { get; init; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(Send(request, cancellationToken));

        protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            SeenUris.Add(request.RequestUri);
            return Failure is null ? new HttpResponseMessage(System.Net.HttpStatusCode.OK) : throw Failure;
        }
    }
}
