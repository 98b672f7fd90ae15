using LlamaAspire.Gateway.Ollama;
using LlamaAspire.TestSupport.Network;
using LlamaAspire.TestSupport.Time;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlamaAspire.Gateway.Tests.Ollama;

/// <summary>The alias list on the inference path: used while a newer one is read in the background, never older than a change made here.</summary>
public sealed class OllamaAliasesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CandidatesAsync_ListOlderThanMaxAge_UsesItAndReadsANewOneInTheBackground()
    {
        var reads = 0;
        var held = new TaskCompletionSource();
        await using var metadata = await LoopbackWebServer.StartAsync((WebApplication app) => app.MapGet("/aliases", async () =>
        {
            if (Interlocked.Increment(ref reads) == 2) await held.Task;
            return Results.Ok(new[] { new { name = "copy", target = reads == 1 ? "first" : "second", createdAt = DateTimeOffset.UnixEpoch } });
        }), Ct);
        using var http = new HttpClient { BaseAddress = metadata.BaseAddress };
        var catalog = new OllamaCatalogClient(http, NullLogger<OllamaCatalogClient>.Instance);
        var time = new ManualTimeProvider();
        var aliases = new OllamaAliases(time);
        await aliases.CandidatesAsync("copy:latest", catalog, Ct);
        time.Advance(OllamaAliases.MaxAge);

        var whileReading = await aliases.CandidatesAsync("copy:latest", catalog, Ct);
        held.SetResult();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!(await aliases.CandidatesAsync("copy:latest", catalog, Ct)).Contains("second") && DateTime.UtcNow < deadline) await Task.Delay(10, Ct);

        Assert.Contains("first", whileReading);
        Assert.Contains("second", await aliases.CandidatesAsync("copy:latest", catalog, Ct));
        Assert.Equal(2, reads);
    }

    [Fact]
    public async Task CandidatesAsync_BackgroundReadBegunBeforeAnInvalidate_IsDropped()
    {
        var reads = 0;
        var held = new TaskCompletionSource();
        var target = "old";
        await using var metadata = await LoopbackWebServer.StartAsync((WebApplication app) => app.MapGet("/aliases", async () =>
        {
            var read = Interlocked.Increment(ref reads);
            var answer = target;
            if (read == 2) await held.Task;   // the background read saw the list before the copy
            return Results.Ok(new[] { new { name = "copy", target = answer, createdAt = DateTimeOffset.UnixEpoch } });
        }), Ct);
        using var http = new HttpClient { BaseAddress = metadata.BaseAddress };
        var catalog = new OllamaCatalogClient(http, NullLogger<OllamaCatalogClient>.Instance);
        var time = new ManualTimeProvider();
        var aliases = new OllamaAliases(time);
        await aliases.CandidatesAsync("copy:latest", catalog, Ct);
        time.Advance(OllamaAliases.MaxAge);
        await aliases.CandidatesAsync("copy:latest", catalog, Ct);   // starts the background read
        while (Volatile.Read(ref reads) < 2) await Task.Delay(5, Ct);

        target = "new";   // a copy made through this gateway
        aliases.Invalidate();
        var afterCopy = await aliases.CandidatesAsync("copy:latest", catalog, Ct);
        held.SetResult();
        await Task.Delay(200, Ct);   // let the held read finish; it must not replace the newer list

        Assert.Contains("new", afterCopy);
        Assert.Contains("new", await aliases.CandidatesAsync("copy:latest", catalog, Ct));
    }
}
