using LlamaAspire.RunnerAgent.Metadata;
using LlamaAspire.TestSupport.Network;
using LlamaAspire.TestSupport.Time;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LlamaAspire.RunnerAgent.Tests.Metadata;

public sealed class MetadataClientTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FindAsync_WithinTheCacheLifetime_AsksMetadataServiceOnce()
    {
        var asked = 0;
        await using var server = await LoopbackWebServer.StartAsync((WebApplication app) => app.MapGet("/models/{**id}", (string id) =>
        {
            Interlocked.Increment(ref asked);
            return id == "a" ? Results.Ok(new { id = "a", path = "/m/a.gguf", sizeBytes = 1, projectorPath = "/m/mmproj-a.gguf" }) : Results.NotFound();
        }), Ct);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var client = new MetadataClient(http, new ManualTimeProvider());

        var first = await client.FindAsync("a", Ct);
        var second = await client.FindAsync("A", Ct);

        Assert.Equal("/m/mmproj-a.gguf", first!.ProjectorPath);
        Assert.Same(first, second);
        Assert.Equal(1, asked);
    }

    [Fact]
    public async Task FindAsync_StaleButUsable_AnswersAtOnceAndRefreshesInTheBackground()
    {
        var asked = 0;
        var answer = new TaskCompletionSource();
        await using var server = await LoopbackWebServer.StartAsync((WebApplication app) => app.MapGet("/models/{**id}", async (string id) =>
        {
            var size = Interlocked.Increment(ref asked);
            if (size == 2) await answer.Task;   // the refresh is held back: the lease must not wait for it
            return Results.Ok(new { id = "a", path = "/m/a.gguf", sizeBytes = size });
        }), Ct);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var time = new ManualTimeProvider();
        var client = new MetadataClient(http, time);
        await client.FindAsync("a", Ct);
        time.Advance(MetadataClient.CacheLifetime);

        var stale = await client.FindAsync("a", Ct);
        await client.FindAsync("a", Ct);   // a refresh is under way: no second one
        answer.SetResult();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((await client.FindAsync("a", Ct))!.SizeBytes != 2 && DateTime.UtcNow < deadline) await Task.Delay(10, Ct);

        Assert.Equal(1, stale!.SizeBytes);
        Assert.Equal(2, (await client.FindAsync("a", Ct))!.SizeBytes);
        Assert.Equal(2, asked);
    }

    [Fact]
    public async Task FindAsync_TooStale_WaitsForAFreshCopy()
    {
        var asked = 0;
        await using var server = await LoopbackWebServer.StartAsync((WebApplication app) => app.MapGet("/models/{**id}", (string id) =>
            Results.Ok(new { id = "a", path = "/m/a.gguf", sizeBytes = Interlocked.Increment(ref asked) })), Ct);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var time = new ManualTimeProvider();
        var client = new MetadataClient(http, time);
        await client.FindAsync("a", Ct);
        time.Advance(MetadataClient.MaxStaleness);

        var fresh = await client.FindAsync("a", Ct);

        Assert.Equal(2, fresh!.SizeBytes);
        Assert.Equal(2, asked);
    }

    [Fact]
    public async Task FindAsync_Unknown_IsNeverCached()
    {
        var asked = 0;
        await using var server = await LoopbackWebServer.StartAsync((WebApplication app) => app.MapGet("/models/{**id}", (string id) =>
        {
            Interlocked.Increment(ref asked);
            return Results.NotFound();
        }), Ct);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var client = new MetadataClient(http, new ManualTimeProvider());

        Assert.Null(await client.FindAsync("new-model", Ct));
        Assert.Null(await client.FindAsync("new-model", Ct));

        Assert.Equal(2, asked);
    }
}
