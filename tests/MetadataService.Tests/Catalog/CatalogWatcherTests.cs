using LlamaAspire.MetadataService.Catalog;
using LlamaAspire.MetadataService.Tests.Support;
using LlamaAspire.TestSupport;
using LlamaAspire.TestSupport.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlamaAspire.MetadataService.Tests.Catalog;

/// <summary>Runs the real watcher; waits poll with a generous deadline and assert only what ends up listed.</summary>
public sealed class CatalogWatcherTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly TempDirectory _dir = new("watcher");

    public void Dispose() => _dir.Dispose();

    private string Models => _dir.Combine("models");

    private (ModelCatalog Catalog, CatalogWatcher Watcher) Create(TimeSpan rescanInterval)
    {
        Directory.CreateDirectory(Models);
        var scanner = Scanners.For(Models);
        var catalog = new ModelCatalog(
            scanner,
            new FactsCache(CatalogPaths.FactsCacheFile(_dir.Combine("home")), new GgufFileHeaderSource(), NullLogger<FactsCache>.Instance));
        var options = new StaticOptionsMonitor<MetadataOptions>(Scanners.Options(Models));
        options.CurrentValue.RescanInterval = rescanInterval;
        return (catalog, new CatalogWatcher(catalog, scanner, options, TimeProvider.System, NullLogger<CatalogWatcher>.Instance));
    }

    private static async Task<bool> EventuallyAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Deadline);
        while (!condition())
        {
            if (timeout.IsCancellationRequested) return false;
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
        return true;
    }

    [Fact]
    public async Task ExecuteAsync_FileAddedAndRemoved_WatcherUpdatesCatalogWithoutPeriodicRescan()
    {
        var (catalog, watcher) = Create(TimeSpan.FromHours(1));
        await watcher.StartAsync(TestContext.Current.CancellationToken);
        try
        {
            Assert.True(await EventuallyAsync(() => catalog.List().Count == 0));
            var path = TinyModels.WriteChatModel(_dir.Combine("models", "sub", "new.gguf"));
            Assert.True(await EventuallyAsync(() => catalog.List().Any(m => m.Id == "new" && m.Facts is not null)));

            File.Delete(path);

            Assert.True(await EventuallyAsync(() => catalog.List().Count == 0));
        }
        finally
        {
            await watcher.StopAsync(CancellationToken.None);
            watcher.Dispose();
        }
    }

    [Fact]
    public async Task ExecuteAsync_ShortInterval_PeriodicRescanPicksUpNewFile()
    {
        var (catalog, watcher) = Create(TimeSpan.FromMilliseconds(50));
        await watcher.StartAsync(TestContext.Current.CancellationToken);
        try
        {
            TinyModels.WriteChatModel(Path.Combine(Models, "late.gguf"));

            Assert.True(await EventuallyAsync(() => catalog.List().Any(m => m.Id == "late")));
        }
        finally
        {
            await watcher.StopAsync(CancellationToken.None);
            watcher.Dispose();
        }
    }

    [Fact]
    public async Task StopAsync_WhileWaiting_Completes()
    {
        var (_, watcher) = Create(TimeSpan.FromHours(1));
        await watcher.StartAsync(TestContext.Current.CancellationToken);

        await watcher.StopAsync(TestContext.Current.CancellationToken);

        // Completed or cancelled (a stop before the loop began cancels the task), never faulted.
        Assert.True(watcher.ExecuteTask!.IsCompleted);
        Assert.False(watcher.ExecuteTask.IsFaulted);
        watcher.Dispose();
    }
}
