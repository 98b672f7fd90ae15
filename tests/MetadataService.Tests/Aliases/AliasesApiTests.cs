using LlamaAspire.MetadataService.Aliases;
using LlamaAspire.MetadataService.Catalog;
using LlamaAspire.MetadataService.Tests.Support;
using LlamaAspire.TestSupport;
using LlamaAspire.TestSupport.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlamaAspire.MetadataService.Tests.Aliases;

/// <summary>The alias and delete handlers called directly, over a real catalog of generated models.</summary>
public sealed class AliasesApiTests : IDisposable
{
    private readonly TempDirectory _models = new("aliases-models");
    private readonly TempDirectory _home = new("aliases-home");
    private readonly ModelCatalog _catalog;
    private readonly AliasStore _store;

    public AliasesApiTests()
    {
        TinyModels.WriteChatModel(_models.Combine("tiny-chat.gguf"));
        _catalog = new(Scanners.For(_models.Path), new FactsCache(CatalogPaths.FactsCacheFile(_home.Path), new GgufFileHeaderSource(), NullLogger<FactsCache>.Instance));
        _store = new(CatalogPaths.AliasesFile(_home.Path), TimeProvider.System, NullLogger<AliasStore>.Instance);
    }

    public void Dispose()
    {
        _models.Dispose();
        _home.Dispose();
    }

    [Fact]
    public void Set_KnownTarget_StoresTheModelsId()
    {
        var result = AliasesApi.Set("copy:latest", new AliasTarget("TINY-CHAT"), _store, _catalog);

        Assert.Equal("tiny-chat", Assert.IsType<Ok<ModelAlias>>(result.Result).Value!.Target);
        Assert.Equal("tiny-chat", Assert.Single(AliasesApi.List(_store).Value!).Target);
    }

    [Fact]
    public void Set_TargetIsAnAlias_StoresItsModel()
    {
        AliasesApi.Set("copy:latest", new AliasTarget("tiny-chat"), _store, _catalog);

        var result = AliasesApi.Set("copy2:latest", new AliasTarget("copy:latest"), _store, _catalog);

        Assert.Equal("tiny-chat", Assert.IsType<Ok<ModelAlias>>(result.Result).Value!.Target);
    }

    [Fact]
    public void Set_UnknownTarget_Answers404()
    {
        var result = AliasesApi.Set("copy:latest", new AliasTarget("nope"), _store, _catalog);

        Assert.Equal("model 'nope' not found", Assert.IsType<NotFound<ErrorResponse>>(result.Result).Value!.Error);
        Assert.Empty(_store.List());
    }

    [Fact]
    public void Set_NameOfAModel_Answers409()
    {
        var result = AliasesApi.Set("tiny-chat", new AliasTarget("tiny-chat"), _store, _catalog);

        Assert.IsType<Conflict<ErrorResponse>>(result.Result);
    }

    [Theory]
    [InlineData("copy:latest", null)]
    [InlineData("bad\u0001name", "tiny-chat")]
    public void Set_MissingTargetOrBadName_Answers400(string name, string? target) =>
        Assert.IsType<BadRequest<ErrorResponse>>(AliasesApi.Set(name, new AliasTarget(target), _store, _catalog).Result);

    [Fact]
    public void Remove_UnknownAlias_Answers404()
    {
        Assert.IsType<NotFound<ErrorResponse>>(AliasesApi.Remove("nope:latest", _store).Result);
    }

    [Fact]
    public void DeleteModel_SwitchedOff_Answers403AndKeepsTheFile()
    {
        var result = ModelsApi.DeleteModel("tiny-chat", Deletion(allow: false));

        Assert.Equal(StatusCodes.Status403Forbidden, Assert.IsType<JsonHttpResult<ErrorResponse>>(result).StatusCode);
        Assert.True(File.Exists(_models.Combine("tiny-chat.gguf")));
    }

    [Fact]
    public void DeleteModel_SwitchedOn_DeletesEveryShardAndItsAliases()
    {
        TinyModels.WriteChatModel(_models.Combine("split-00001-of-00002.gguf"));
        File.Copy(_models.Combine("split-00001-of-00002.gguf"), _models.Combine("split-00002-of-00002.gguf"));
        _catalog.Refresh();
        _store.Set("copy:latest", "split");

        var result = ModelsApi.DeleteModel("split", Deletion(allow: true));

        Assert.Equal(2, Assert.IsType<Ok<DeletedModel>>(result).Value!.DeletedFiles.Count);
        Assert.Equal(["tiny-chat.gguf"], Directory.GetFiles(_models.Path).Select(Path.GetFileName));
        Assert.Null(_catalog.Find("split"));
        Assert.Empty(_store.List());
    }

    [Fact]
    public void DeleteModel_OutsideTheModelFolders_Answers403()
    {
        using var elsewhere = new TempDirectory("aliases-elsewhere");
        var options = Scanners.Options(_models.Path);
        options.AllowFileDeletion = true;
        options.ModelDirs = [elsewhere.Path];
        var deletion = new ModelFileDeletion(_catalog, _store, new StaticOptionsMonitor<MetadataOptions>(options), NullLogger<ModelFileDeletion>.Instance);

        var result = ModelsApi.DeleteModel("tiny-chat", deletion);

        Assert.Equal(StatusCodes.Status403Forbidden, Assert.IsType<JsonHttpResult<ErrorResponse>>(result).StatusCode);
        Assert.True(File.Exists(_models.Combine("tiny-chat.gguf")));
    }

    [Fact]
    public void DeleteModel_UnknownModel_Answers404() =>
        Assert.Equal(StatusCodes.Status404NotFound, Assert.IsType<JsonHttpResult<ErrorResponse>>(ModelsApi.DeleteModel("nope", Deletion(allow: true))).StatusCode);

    private ModelFileDeletion Deletion(bool allow)
    {
        var options = Scanners.Options(_models.Path);
        options.AllowFileDeletion = allow;
        return new(_catalog, _store, new StaticOptionsMonitor<MetadataOptions>(options), NullLogger<ModelFileDeletion>.Instance);
    }
}
