using System.Collections.Concurrent;
using LlamaAspire.Gateway.Forwarding;
using LlamaAspire.Gateway.Upstream;
using LlamaAspire.TestSupport.Network;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LlamaAspire.Gateway.Tests.Forwarding;

/// <summary>
/// <see cref="LeasedSend"/> over a stand-in RunnerAgent (grants after a chosen delay, at a chosen endpoint) and two
/// stand-in llama-servers that log what reached them and when.
/// </summary>
public sealed class LeasedSendTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<string> _events = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
    private LoopbackWebServer? _serverA;
    private LoopbackWebServer? _serverB;
    private LoopbackWebServer? _agent;
    private volatile Uri? _grantAt;
    private int _grantDelayMs;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _serverA = await StartServerAsync("a");
        _serverB = await StartServerAsync("b");
        _grantAt = _serverA.BaseAddress;
        _agent = await LoopbackWebServer.StartAsync(app =>
        {
            app.MapPost("/leases", async () =>
            {
                await Task.Delay(Volatile.Read(ref _grantDelayMs));
                _events.Enqueue("granted");
                return Results.Json(new { leaseId = Guid.NewGuid(), model = "tiny", endpoint = _grantAt!.ToString().TrimEnd('/'), contextLength = 4096, renewBy = DateTimeOffset.UtcNow.AddSeconds(30) });
            });
            app.MapDelete("/leases/{id}", () => Results.NoContent());
        }, Ct);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in new[] { _agent, _serverA, _serverB }) if (server is not null) await server.DisposeAsync();
        await _services.DisposeAsync();
    }

    [Fact]
    public async Task SendAsync_FirstRequest_GoesAfterTheLease()
    {
        var send = Send(new ReadyEndpoints());

        using var call = await send.SendAsync(["tiny"], null, null, Post, Ct);

        Assert.False(call.Overlapped);
        Assert.Equal("a", await call.Response!.Content.ReadAsStringAsync(Ct));
        Assert.Equal(["granted", "a:start", "a:end"], _events);
    }

    [Fact]
    public async Task SendAsync_KnownServer_SendsBeforeTheLeaseComesAndUsesThatAnswer()
    {
        var ready = new ReadyEndpoints();
        (await Send(ready).SendAsync(["tiny"], null, null, Post, Ct)).Dispose();
        _events.Clear();
        Volatile.Write(ref _grantDelayMs, 100);

        using var call = await Send(ready, LongWindow).SendAsync(["tiny"], null, null, Post, Ct);

        Assert.True(call.Overlapped);
        Assert.Equal("a", await call.Response!.Content.ReadAsStringAsync(Ct));
        Assert.Equal(["a:start", "granted", "a:end"], _events);
        Assert.Contains("desc=\"overlapped\"", call.ServerTiming, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_LeaseNamesAnotherServer_CancelsTheEarlyRequestAndSendsToTheLeasedOne()
    {
        var ready = new ReadyEndpoints();
        (await Send(ready).SendAsync(["tiny"], null, null, Post, Ct)).Dispose();
        _events.Clear();
        _grantAt = _serverB!.BaseAddress;
        Volatile.Write(ref _grantDelayMs, 50);

        using var call = await Send(ready, LongWindow).SendAsync(["tiny"], null, null, Post, Ct);

        Assert.False(call.Overlapped);
        Assert.Equal("b", await call.Response!.Content.ReadAsStringAsync(Ct));
        await WaitForAsync("a:cancelled");
        Assert.Equal(["a:start", "granted"], _events.Take(2));
        Assert.Contains("a:cancelled", _events);
        Assert.DoesNotContain("a:end", _events);
    }

    [Fact]
    public async Task SendAsync_LeaseSlowerThanTheWindow_AbandonsTheEarlyRequestAndSendsAgain()
    {
        var ready = new ReadyEndpoints();
        (await Send(ready).SendAsync(["tiny"], null, null, Post, Ct)).Dispose();
        _events.Clear();
        Volatile.Write(ref _grantDelayMs, 100);

        using var call = await Send(ready, TimeSpan.FromMilliseconds(20)).SendAsync(["tiny"], null, null, Post, Ct);

        Assert.False(call.Overlapped);
        Assert.Equal("a", await call.Response!.Content.ReadAsStringAsync(Ct));
        Assert.Equal(["a:start", "a:cancelled", "granted", "a:start"], _events.Take(4));
    }

    [Fact]
    public async Task SendAsync_ContextLargerThanKnown_DoesNotGuess()
    {
        var ready = new ReadyEndpoints();
        (await Send(ready).SendAsync(["tiny"], null, null, Post, Ct)).Dispose();
        _events.Clear();

        using var call = await Send(ready).SendAsync(["tiny"], 8192, null, Post, Ct);

        Assert.False(call.Overlapped);
        Assert.Equal(["granted", "a:start"], _events.Take(2));
    }

    private static readonly TimeSpan LongWindow = TimeSpan.FromSeconds(5);

    private LeasedSend Send(ReadyEndpoints ready, TimeSpan? window = null)
    {
        var clients = _services.GetRequiredService<IHttpClientFactory>();
        var agent = new RunnerAgentClient(new HttpClient { BaseAddress = _agent!.BaseAddress }, NullLogger<RunnerAgentClient>.Instance);
        var options = Options.Create(new GatewayOptions { LeaseOverlapWindow = window ?? LongWindow });
        return new LeasedSend(agent, clients, ready, options, TimeProvider.System, NullLogger<LeasedSend>.Instance);
    }

    private static HttpRequestMessage Post(Uri endpoint) => LlamaServerPassthrough.JsonPost(endpoint, "/v1/chat/completions", "{}"u8.ToArray());

    /// <summary>Answers its name after 150 ms, or notes that the caller went away first.</summary>
    private Task<LoopbackWebServer> StartServerAsync(string name) =>
        LoopbackWebServer.StartAsync(app => app.MapPost("/v1/chat/completions", async (HttpContext context) =>
        {
            _events.Enqueue($"{name}:start");
            try
            {
                await Task.Delay(150, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                _events.Enqueue($"{name}:cancelled");
                return Results.Empty;
            }
            _events.Enqueue($"{name}:end");
            return Results.Text(name);
        }), Ct);

    private async Task WaitForAsync(string entry)
    {
        for (var i = 0; i < 200 && !_events.Contains(entry); i++) await Task.Delay(10, Ct);
    }
}
