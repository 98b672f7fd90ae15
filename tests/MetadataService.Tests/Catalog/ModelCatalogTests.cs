using LlamaAspire.MetadataService.Catalog;
using LlamaAspire.MetadataService.Tests.Support;
using LlamaAspire.TestSupport;
using LlamaAspire.TestSupport.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlamaAspire.MetadataService.Tests.Catalog;

public sealed class ModelCatalogTests : IDisposable
{
    private readonly TempDirectory _dir = new("catalog");

    public void Dispose() => _dir.Dispose();

    private string Models => _dir.Combine("models");

    private ModelCatalog NewCatalog(IGgufHeaderSource? source = null) => new(
        Scanners.For(Models),
        new FactsCache(CatalogPaths.FactsCacheFile(_dir.Combine("home")), source ?? new CountingHeaderSource(), NullLogger<FactsCache>.Instance));

    [Fact]
    public void List_FirstCall_ScansAndReturnsFacts()
    {
        TinyModels.WriteChatModel(Path.Combine(Models, "chat.gguf"));

        var summary = Assert.Single(NewCatalog().List());

        Assert.Equal("chat", summary.Id);
        Assert.Equal("llama", summary.Facts!.Architecture);
    }

    [Fact]
    public void List_FileAddedSinceLastScan_IsNotListedUntilRefresh()
    {
        TinyModels.WriteChatModel(Path.Combine(Models, "a.gguf"));
        var catalog = NewCatalog();
        catalog.List();
        TinyModels.WriteChatModel(Path.Combine(Models, "b.gguf"));

        var before = catalog.List();
        var after = catalog.Refresh();

        Assert.Equal(["a"], before.Select(m => m.Id));
        Assert.Equal(["a", "b"], after.Select(m => m.Id));
    }

    [Fact]
    public void Refresh_RemovedFile_DisappearsFromList()
    {
        TinyModels.WriteChatModel(Path.Combine(Models, "a.gguf"));
        var removed = TinyModels.WriteChatModel(Path.Combine(Models, "b.gguf"));
        var catalog = NewCatalog();
        catalog.List();
        File.Delete(removed);

        catalog.Refresh();

        Assert.Equal(["a"], catalog.List().Select(m => m.Id));
    }

    [Fact]
    public void Refresh_UnchangedFiles_ReadsNoHeaderAgain()
    {
        TinyModels.WriteChatModel(Path.Combine(Models, "a.gguf"));
        var source = new CountingHeaderSource();
        var catalog = NewCatalog(source);
        catalog.List();

        catalog.Refresh();
        catalog.Refresh();

        Assert.Equal(1, source.Reads);
    }

    [Fact]
    public void Refresh_AfterRestart_KeepsTheSameIds()
    {
        TinyModels.WriteChatModel(_dir.Combine("models", "x", "model.gguf"));
        TinyModels.WriteChatModel(_dir.Combine("models", "y", "model.gguf"));
        var before = NewCatalog().Refresh().Select(m => m.Id).ToList();

        var after = NewCatalog().Refresh().Select(m => m.Id).ToList();

        Assert.Equal(["x/model", "y/model"], before);
        Assert.Equal(before, after);
    }
}
