using System.Net;
using LlamaAspire.ServiceDefaults.Discovery;
using LlamaAspire.ServiceDefaults.Http;
using LlamaAspire.ServiceDefaults.Tests.Support;
using LlamaAspire.TestSupport.Network;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Polly.Timeout;

namespace LlamaAspire.ServiceDefaults.Tests.Http;

public sealed class InferenceHttpClientTests
{
    private const int ChunkCount = 4;
    private static readonly Uri SlowStream = new("http://upstream/stream");

    // Tight control-plane budgets, so anything they govern fails well before the stream ends.
    private static readonly Dictionary<string, string?> TightTimeouts = new()
    {
        ["HttpClientDefaults:TotalTimeout"] = "00:00:00.300",
        ["HttpClientDefaults:AttemptTimeout"] = "00:00:00.200",
    };

    [Fact]
    public async Task AddInferenceHttpClient_StreamLongerThanAttemptTimeout_IsReadToTheEnd()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var upstream = await StartSlowStreamAsync(ct);
        using var clients = ClientHost.Create(upstream, services => services.AddInferenceHttpClient("llama"), TightTimeouts);
        using var client = clients.CreateClient("llama");

        using var response = await client.GetAsync(SlowStream, HttpCompletionOption.ResponseHeadersRead, ct);
        var body = await response.Content.ReadAsStringAsync(ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ChunkCount, body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task ControlPlaneClient_SameSlowStream_IsCutByTimeout()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var upstream = await StartSlowStreamAsync(ct);
        using var clients = ClientHost.Create(upstream, configuration: TightTimeouts);
        using var client = clients.CreateClient("control");

        await Assert.ThrowsAsync<TimeoutRejectedException>(() => client.GetAsync(SlowStream, HttpCompletionOption.ResponseHeadersRead, ct));
    }

    [Fact]
    public async Task AddInferenceHttpClient_GetReturns503_IsNotRetried()
    {
        var ct = TestContext.Current.CancellationToken;
        var calls = new CallCounter();
        await using var upstream = await LoopbackWebServer.StartAsync(app => app.MapGet("/flaky", () =>
        {
            calls.Record();
            return Results.StatusCode(503);
        }), ct);
        using var clients = ClientHost.Create(upstream, services => services.AddInferenceHttpClient("llama"));
        using var client = clients.CreateClient("llama");

        using var response = await client.GetAsync(new Uri("http://upstream/flaky"), ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, calls.Count);
    }

    [Fact]
    public async Task AddInferenceHttpClient_Client_HasDiscoveryStreamingHandlerAndNoTimeout()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var upstream = await LoopbackWebServer.StartAsync(_ => { }, ct);
        using var clients = ClientHost.Create(upstream, services => services.AddInferenceHttpClient("llama"));
        using var client = clients.CreateClient("llama");

        var chain = HandlerChain.Flatten(clients.Services.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler("llama"));

        Assert.Equal(Timeout.InfiniteTimeSpan, client.Timeout);
        Assert.Contains(chain, h => h is ServiceDiscoveryHandler);
        Assert.DoesNotContain(chain, h => h is ControlPlaneResilienceHandler);
        var primary = Assert.IsType<SocketsHttpHandler>(chain[^1]);
        Assert.Equal(DecompressionMethods.None, primary.AutomaticDecompression);
        Assert.False(primary.UseCookies);
        Assert.False(primary.AllowAutoRedirect);
        Assert.InRange(primary.PooledConnectionLifetime, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(30));
    }

    [Fact]
    public async Task AddInferenceHttpClientOfT_TypedClient_GetsTheInferenceSettings()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var upstream = await LoopbackWebServer.StartAsync(_ => { }, ct);
        using var clients = ClientHost.Create(upstream, services => services.AddInferenceHttpClient<LlamaServerTestClient>());

        var typed = clients.Services.GetRequiredService<LlamaServerTestClient>();

        Assert.Equal(Timeout.InfiniteTimeSpan, typed.Http.Timeout);
        var chain = HandlerChain.Flatten(clients.Services.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(nameof(LlamaServerTestClient)));
        Assert.DoesNotContain(chain, h => h is ControlPlaneResilienceHandler);
    }

    private static Task<LoopbackWebServer> StartSlowStreamAsync(CancellationToken ct) =>
        LoopbackWebServer.StartAsync(app => app.MapGet("/stream", async (HttpContext context) =>
        {
            // Headers late (past the attempt timeout), then a body that outlasts the total timeout.
            await Task.Delay(400, context.RequestAborted);
            context.Response.ContentType = "text/event-stream";
            for (var i = 0; i < ChunkCount; i++)
            {
                await context.Response.WriteAsync($"data: {i}\n", context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await Task.Delay(150, context.RequestAborted);
            }
        }), ct);

    public sealed class LlamaServerTestClient(HttpClient http)
    {
        public HttpClient Http { get; } = http;
    }
}
