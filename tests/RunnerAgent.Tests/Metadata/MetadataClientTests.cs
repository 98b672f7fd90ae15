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
        var time = new ManualTimeProvider();
        var client = new MetadataClient(http, time);

        var first = await client.FindAsync("a", Ct);
        var second = await client.FindAsync("A", Ct);
        time.Advance(MetadataClient.CacheLifetime);
        await client.FindAsync("a", Ct);

        Assert.Equal("/m/mmproj-a.gguf", first!.ProjectorPath);
        Assert.Same(first, second);
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
