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
        var held = new TaskCompletionSource();
        await using var metadata = await AliasListAsync(async read =>
        {
            if (read == 2) await held.Task;
            return read == 1 ? "first" : "second";
        });
        var aliases = await StaleAliasesAsync(metadata.Catalog);

        var whileReading = await aliases.CandidatesAsync("copy:latest", metadata.Catalog, Ct);
        held.SetResult();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!(await aliases.CandidatesAsync("copy:latest", metadata.Catalog, Ct)).Contains("second") && DateTime.UtcNow < deadline) await Task.Delay(10, Ct);

        Assert.Contains("first", whileReading);
        Assert.Contains("second", await aliases.CandidatesAsync("copy:latest", metadata.Catalog, Ct));
        Assert.Equal(2, metadata.Reads);
    }

    [Fact]
    public async Task CandidatesAsync_BackgroundReadBegunBeforeAnInvalidate_IsDropped()
    {
        var held = new TaskCompletionSource();
        var target = "old";
        await using var metadata = await AliasListAsync(async read =>
        {
            var answer = target;
            if (read == 2) await held.Task;   // the background read saw the list before the copy
            return answer;
        });
        var aliases = await StaleAliasesAsync(metadata.Catalog);
        await aliases.CandidatesAsync("copy:latest", metadata.Catalog, Ct);   // starts the background read
        while (metadata.Reads < 2) await Task.Delay(5, Ct);

        target = "new";   // a copy made through this gateway
        aliases.Invalidate();
        var afterCopy = await aliases.CandidatesAsync("copy:latest", metadata.Catalog, Ct);
        held.SetResult();
        await Task.Delay(200, Ct);   // let the held read finish; it must not replace the newer list

        Assert.Contains("new", afterCopy);
        Assert.Contains("new", await aliases.CandidatesAsync("copy:latest", metadata.Catalog, Ct));
    }

    /// <summary>Aliases read once (one alias, "copy"), then left older than <see cref="OllamaAliases.MaxAge"/>.</summary>
    private static async Task<OllamaAliases> StaleAliasesAsync(OllamaCatalogClient catalog)
    {
        var time = new ManualTimeProvider();
        var aliases = new OllamaAliases(time);
        await aliases.CandidatesAsync("copy:latest", catalog, Ct);
        time.Advance(OllamaAliases.MaxAge);
        return aliases;
    }

    /// <summary>A MetadataService whose alias list has one alias, "copy", its target given per read (numbered from 1).</summary>
    private static async Task<AliasList> AliasListAsync(Func<int, Task<string>> targetOfRead)
    {
        var list = new AliasList();
        list.Server = await LoopbackWebServer.StartAsync((WebApplication app) => app.MapGet("/aliases", async () =>
        {
            var target = await targetOfRead(Interlocked.Increment(ref list.ReadCount));
            return Results.Ok(new[] { new { name = "copy", target, createdAt = DateTimeOffset.UnixEpoch } });
        }), Ct);
        list.Http = new HttpClient { BaseAddress = list.Server.BaseAddress };
        list.Catalog = new OllamaCatalogClient(list.Http, NullLogger<OllamaCatalogClient>.Instance);
        return list;
    }

    private sealed class AliasList : IAsyncDisposable
    {
        public int ReadCount;

        public LoopbackWebServer Server { get; set; } = null!;

        public HttpClient Http { get; set; } = null!;

        public OllamaCatalogClient Catalog { get; set; } = null!;

        public int Reads => Volatile.Read(ref ReadCount);

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            await Server.DisposeAsync();
        }
    }
}
