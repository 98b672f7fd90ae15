using System.Text.Json;
using LlamaAspire.MetadataService.Catalog;
using LlamaAspire.MetadataService.Tests.Support;
using LlamaAspire.TestSupport;
using LlamaAspire.TestSupport.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlamaAspire.MetadataService.Tests.Catalog;

public sealed class FactsCacheTests : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly TempDirectory _dir = new("facts-cache");

    public void Dispose() => _dir.Dispose();

    private string CacheFile => CatalogPaths.FactsCacheFile(_dir.Combine("home"));

    private FactsCache NewCache(IGgufHeaderSource source) => new(CacheFile, source, NullLogger<FactsCache>.Instance);

    private IReadOnlyList<ModelFile> Scan() => Scanners.For(_dir.Combine("models")).Scan();

    [Fact]
    public void Summarize_RestartWithUnchangedFiles_ReadsNoHeader()
    {
        TinyModels.WriteChatModel(_dir.Combine("models", "a", "a.gguf"));
        TinyModels.WriteChatModel(_dir.Combine("models", "b", "b.gguf"));
        var first = new CountingHeaderSource();
        var before = NewCache(first).Summarize(Scan());

        var second = new CountingHeaderSource();
        var after = NewCache(second).Summarize(Scan());

        Assert.Equal(2, first.Reads);
        Assert.Equal(0, second.Reads);
        Assert.Equal(before.Select(s => s.Facts!.Architecture), after.Select(s => s.Facts!.Architecture));
        Assert.Equal("llama", after[0].Facts!.Architecture);
    }

    [Fact]
    public void Summarize_FileNoLongerGgufButSameSizeAndMtime_StillServesCachedFacts()
    {
        var path = TinyModels.WriteChatModel(_dir.Combine("models", "chat.gguf"));
        NewCache(new GgufFileHeaderSource()).Summarize(Scan());
        var mtime = File.GetLastWriteTimeUtc(path);
        File.WriteAllBytes(path, new byte[new FileInfo(path).Length]);
        File.SetLastWriteTimeUtc(path, mtime);

        var summary = Assert.Single(NewCache(new GgufFileHeaderSource()).Summarize(Scan()));

        Assert.Equal("llama", summary.Facts!.Architecture);
    }

    [Fact]
    public void Summarize_ChangedMtime_ReadsHeaderAgain()
    {
        var path = TinyModels.WriteChatModel(_dir.Combine("models", "chat.gguf"));
        NewCache(new CountingHeaderSource()).Summarize(Scan());
        File.SetLastWriteTimeUtc(path, File.GetLastWriteTimeUtc(path).AddMinutes(-5));

        var source = new CountingHeaderSource();
        NewCache(source).Summarize(Scan());

        Assert.Equal(1, source.Reads);
    }

    [Fact]
    public void Constructor_CorruptCacheFile_RebuildsAndRewritesValidCache()
    {
        TinyModels.WriteChatModel(_dir.Combine("models", "chat.gguf"));
        Directory.CreateDirectory(Path.GetDirectoryName(CacheFile)!);
        File.WriteAllText(CacheFile, "{ \"version\": 1, \"entries\": [ {\"path\": 42");

        var source = new CountingHeaderSource();
        var summary = Assert.Single(NewCache(source).Summarize(Scan()));

        Assert.Equal(1, source.Reads);
        Assert.Equal("llama", summary.Facts!.Architecture);
        var document = JsonSerializer.Deserialize<FactsCacheDocument>(File.ReadAllBytes(CacheFile), Json);
        Assert.Equal(FactsCacheDocument.CurrentVersion, document!.Version);
        Assert.Single(document.Entries);
    }

    [Fact]
    public void Constructor_UnknownVersion_DiscardsEntries()
    {
        TinyModels.WriteChatModel(_dir.Combine("models", "chat.gguf"));
        NewCache(new CountingHeaderSource()).Summarize(Scan());
        File.WriteAllText(CacheFile, File.ReadAllText(CacheFile).Replace($"\"version\":{FactsCacheDocument.CurrentVersion}", "\"version\":99", StringComparison.Ordinal));

        var source = new CountingHeaderSource();
        NewCache(source).Summarize(Scan());

        Assert.Equal(1, source.Reads);
    }

    [Fact]
    public void Flush_AfterSummarize_LeavesOnlyTheCacheFile()
    {
        TinyModels.WriteChatModel(_dir.Combine("models", "chat.gguf"));

        NewCache(new CountingHeaderSource()).Summarize(Scan());

        Assert.Equal([CacheFile], Directory.GetFiles(Path.GetDirectoryName(CacheFile)!));
    }

    [Fact]
    public void Summarize_UnreadableGguf_CachesNullFactsAndDoesNotReadAgain()
    {
        Scanners.WriteFile(_dir.Combine("models", "junk.gguf"), 64);
        var first = new CountingHeaderSource();
        var summary = Assert.Single(NewCache(first).Summarize(Scan()));

        var second = new CountingHeaderSource();
        NewCache(second).Summarize(Scan());

        Assert.Null(summary.Facts);
        Assert.Equal(1, first.Reads);
        Assert.Equal(0, second.Reads);
    }

    [Fact]
    public void Summarize_RemovedFile_DropsItsEntry()
    {
        TinyModels.WriteChatModel(_dir.Combine("models", "a.gguf"));
        var removed = TinyModels.WriteChatModel(_dir.Combine("models", "b.gguf"));
        NewCache(new CountingHeaderSource()).Summarize(Scan());
        File.Delete(removed);

        NewCache(new CountingHeaderSource()).Summarize(Scan());

        var document = JsonSerializer.Deserialize<FactsCacheDocument>(File.ReadAllBytes(CacheFile), Json);
        Assert.Equal([_dir.Combine("models", "a.gguf")], document!.Entries.Select(e => e.Path));
    }

    [Fact]
    public void Summarize_UnwritableCacheFolder_StillReturnsFacts()
    {
        TinyModels.WriteChatModel(_dir.Combine("models", "chat.gguf"));
        Scanners.WriteFile(_dir.Combine("home"));   // a file where the home folder should be

        var summary = Assert.Single(NewCache(new CountingHeaderSource()).Summarize(Scan()));

        Assert.Equal("llama", summary.Facts!.Architecture);
    }

    [Fact]
    public void GetFacts_WithHeaderOfUnchangedFile_ReturnsCachedFactsWithoutReading()
    {
        TinyModels.WriteChatModel(_dir.Combine("models", "chat.gguf"));
        NewCache(new CountingHeaderSource()).Summarize(Scan());
        var source = new CountingHeaderSource();

        var facts = NewCache(source).GetFacts(Assert.Single(Scan()));

        Assert.Equal(0, source.Reads);
        Assert.Equal("llama", facts!.Architecture);
    }
}
