using System.Net;
using LlamaAspire.ServiceDefaults.Http;
using LlamaAspire.ServiceDefaults.Tests.Support;
using LlamaAspire.TestSupport.Network;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Polly.Timeout;

namespace LlamaAspire.ServiceDefaults.Tests.Http;

public sealed class ControlPlaneResilienceTests
{
    private static readonly Uri Flaky = new("http://upstream/flaky");

    [Fact]
    public async Task GetAsync_UpstreamReturns503Twice_RetriesThroughDiscoveryAndSucceeds()
    {
        var ct = TestContext.Current.CancellationToken;
        var calls = new CallCounter();
        await using var upstream = await StartFlakyAsync(calls, failures: 2, ct);
        using var clients = ClientHost.Create(upstream);
        using var client = clients.CreateClient("control");

        using var response = await client.GetAsync(Flaky, ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, calls.Count);
    }

    [Fact]
    public async Task GetAsync_UpstreamAlways503_GivesUpAfterThreeRetries()
    {
        var ct = TestContext.Current.CancellationToken;
        var calls = new CallCounter();
        await using var upstream = await StartFlakyAsync(calls, failures: int.MaxValue, ct);
        using var clients = ClientHost.Create(upstream);
        using var client = clients.CreateClient("control");

        using var response = await client.GetAsync(Flaky, ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(4, calls.Count);
    }

    [Fact]
    public async Task PostAsync_UpstreamReturns503_IsNeverRetried()
    {
        var ct = TestContext.Current.CancellationToken;
        var calls = new CallCounter();
        await using var upstream = await StartFlakyAsync(calls, failures: 2, ct);
        using var clients = ClientHost.Create(upstream);
        using var client = clients.CreateClient("control");
        using var body = new StringContent("{}");

        using var response = await client.PostAsync(Flaky, body, ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, calls.Count);
    }

    [Fact]
    public async Task PutAsync_StreamBody_IsNotRetried()
    {
        var ct = TestContext.Current.CancellationToken;
        var calls = new CallCounter();
        await using var upstream = await StartFlakyAsync(calls, failures: 2, ct);
        using var clients = ClientHost.Create(upstream);
        using var client = clients.CreateClient("control");
        using var body = new StreamContent(new MemoryStream([1, 2, 3]));

        using var response = await client.PutAsync(Flaky, body, ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, calls.Count);
    }

    [Fact]
    public async Task PutAsync_StringBody_IsRetriedWithTheSameBody()
    {
        var ct = TestContext.Current.CancellationToken;
        var bodies = new List<string>();
        var calls = new CallCounter();
        await using var upstream = await LoopbackWebServer.StartAsync(app => app.MapPut("/flaky", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync(ct);
            lock (bodies)
            {
                bodies.Add(body);
            }

            return calls.Record() == 1 ? Results.StatusCode(503) : Results.Ok();
        }), ct);
        using var clients = ClientHost.Create(upstream);
        using var client = clients.CreateClient("control");
        using var body = new StringContent("payload");

        using var response = await client.PutAsync(Flaky, body, ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["payload", "payload"], bodies);
    }

    [Fact]
    public async Task GetAsync_RetryAfterHeader_WaitsThatLongBeforeRetrying()
    {
        var ct = TestContext.Current.CancellationToken;
        var calls = new CallCounter();
        await using var upstream = await LoopbackWebServer.StartAsync(app => app.MapGet("/flaky", (HttpResponse response) =>
        {
            if (calls.Record() == 1)
            {
                response.Headers.RetryAfter = "1";
                return Results.StatusCode(429);
            }

            return Results.Ok();
        }), ct);
        using var clients = ClientHost.Create(upstream);
        using var client = clients.CreateClient("control");

        using var response = await client.GetAsync(Flaky, ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.InRange(calls.GapBetween(1, 2), TimeSpan.FromMilliseconds(900), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task GetAsync_FirstAttemptSlowerThanAttemptTimeout_IsCutAndRetried()
    {
        var ct = TestContext.Current.CancellationToken;
        var calls = new CallCounter();
        await using var upstream = await LoopbackWebServer.StartAsync(app => app.MapGet("/flaky", async (CancellationToken requestAborted) =>
        {
            if (calls.Record() == 1)
            {
                await Task.Delay(TimeSpan.FromSeconds(5), requestAborted);
            }

            return Results.Ok();
        }), ct);
        using var clients = ClientHost.Create(upstream, configuration: new Dictionary<string, string?>
        {
            ["HttpClientDefaults:AttemptTimeout"] = "00:00:00.300",
        });
        using var client = clients.CreateClient("control");

        using var response = await client.GetAsync(Flaky, ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, calls.Count);
    }

    [Fact]
    public async Task GetAsync_SlowerThanTotalTimeout_ThrowsTimeoutRejected()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var upstream = await LoopbackWebServer.StartAsync(app => app.MapGet("/flaky", async (CancellationToken requestAborted) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5), requestAborted);
            return Results.Ok();
        }), ct);
        using var clients = ClientHost.Create(upstream, configuration: new Dictionary<string, string?>
        {
            ["HttpClientDefaults:TotalTimeout"] = "00:00:00.400",
            ["HttpClientDefaults:AttemptTimeout"] = "00:00:00.300",
        });
        using var client = clients.CreateClient("control");

        await Assert.ThrowsAsync<TimeoutRejectedException>(() => client.GetAsync(Flaky, ct));
    }

    [Fact]
    public async Task GetAsync_ClientDisabledByName_IsNotRetried()
    {
        var ct = TestContext.Current.CancellationToken;
        var calls = new CallCounter();
        await using var upstream = await StartFlakyAsync(calls, failures: 2, ct);
        using var clients = ClientHost.Create(upstream, services => services.DisableControlPlaneResilience("bare"));
        using var client = clients.CreateClient("bare");

        using var response = await client.GetAsync(Flaky, ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, calls.Count);
    }

    private static Task<LoopbackWebServer> StartFlakyAsync(CallCounter calls, int failures, CancellationToken ct) =>
        LoopbackWebServer.StartAsync(
            app => app.MapMethods("/flaky", ["GET", "POST", "PUT"], () => calls.Record() <= failures ? Results.StatusCode(503) : Results.Ok()),
            ct);
}
