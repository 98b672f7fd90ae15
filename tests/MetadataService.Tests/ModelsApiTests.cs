using System.Text.Json;
using LlamaAspire.MetadataService.Catalog;
using LlamaAspire.MetadataService.Facts;
using LlamaAspire.MetadataService.Inspection;
using LlamaAspire.MetadataService.Tests.Support;
using LlamaAspire.TestSupport;
using LlamaAspire.TestSupport.Gguf;
using LlamaAspire.TestSupport.Models;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlamaAspire.MetadataService.Tests;

/// <summary>The handlers called directly, as the endpoints call them.</summary>
public sealed class ModelsApiTests : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private readonly TempDirectory _dir = new("models-api");
    private readonly TempDirectory _home = new("models-api-home");
    private readonly ModelInspector _inspector = new(NullLogger<ModelInspector>.Instance);

    public void Dispose()
    {
        _dir.Dispose();
        _home.Dispose();
    }

    [Fact]
    public void GetModelOrTensors_KnownModel_ReturnsCatalogFieldsFactsAndSummarizedMetadata()
    {
        TinyModels.WriteChatModel(_dir.Combine("chat", "chat.gguf"));

        var result = ModelsApi.GetModelOrTensors("chat", null, CatalogOf(_dir.Path), _inspector);

        var details = Assert.IsType<Ok<ModelDetails>>(result.Result).Value!;
        Assert.Equal("chat", details.Id);
        Assert.Equal(_dir.Combine("chat", "chat.gguf"), details.Path);
        Assert.Equal(new FileInfo(details.Path).Length, details.SizeBytes);
        Assert.Equal("llama", details.Facts.Architecture);
        Assert.Equal([ModelCapabilities.Completion], details.Facts.Capabilities);
        Assert.Equal("llama", details.Metadata["general.architecture"]);
        Assert.Equal(4096u, details.Metadata["llama.context_length"]);
        Assert.Equal(TinyVocabulary.Tokens, (string[])details.Metadata["tokenizer.ggml.tokens"]);
    }

    [Fact]
    public void GetModelOrTensors_LargeArray_IsSummarizedUnlessFull()
    {
        var tokens = Enumerable.Range(0, 5000).Select(i => $"t{i}").ToArray();
        new GgufWriter().Add("general.architecture", "llama").Add("tokenizer.ggml.tokens", tokens).WriteToFile(_dir.Combine("big.gguf"));

        var summarized = ModelsApi.GetModelOrTensors("big", null, CatalogOf(_dir.Path), _inspector);
        var full = ModelsApi.GetModelOrTensors("big", true, CatalogOf(_dir.Path), _inspector);

        Assert.Equal(new ArraySummary("string", 5000), Assert.IsType<Ok<ModelDetails>>(summarized.Result).Value!.Metadata["tokenizer.ggml.tokens"]);
        Assert.Equal(tokens, (string[])Assert.IsType<Ok<ModelDetails>>(full.Result).Value!.Metadata["tokenizer.ggml.tokens"]);
    }

    [Fact]
    public void GetModelOrTensors_Full_ReturnsWholeArrays()
    {
        TinyModels.WriteChatModel(_dir.Combine("chat.gguf"));

        var result = ModelsApi.GetModelOrTensors("chat", true, CatalogOf(_dir.Path), _inspector);

        var details = Assert.IsType<Ok<ModelDetails>>(result.Result).Value!;
        Assert.Equal(TinyVocabulary.Tokens, (string[])details.Metadata["tokenizer.ggml.tokens"]);
    }

    [Fact]
    public void GetModelOrTensors_ProjectorBesideTheModel_AddsVision()
    {
        TinyModels.WriteChatModel(_dir.Combine("vl", "vl.gguf"));
        Scanners.WriteFile(_dir.Combine("vl", "mmproj-vl-f16.gguf"));

        var result = ModelsApi.GetModelOrTensors("vl", null, CatalogOf(_dir.Path), _inspector);

        Assert.Contains(ModelCapabilities.Vision, Assert.IsType<Ok<ModelDetails>>(result.Result).Value!.Facts.Capabilities);
    }

    [Fact]
    public void GetModelOrTensors_TensorsSuffix_ListsTheTensorInfos()
    {
        var writer = TinyModels.CreateWriter(TinyModels.ChatOptions());
        using var stream = new MemoryStream();
        var layout = writer.WriteTo(stream);
        Directory.CreateDirectory(_dir.Combine("pub"));
        File.WriteAllBytes(_dir.Combine("pub", "chat.gguf"), stream.ToArray());
        TinyModels.WriteChatModel(_dir.Combine("other", "chat.gguf"));

        var result = ModelsApi.GetModelOrTensors("pub/chat/tensors", null, CatalogOf(_dir.Path), _inspector);

        var tensors = Assert.IsType<Ok<ModelTensors>>(result.Result).Value!;
        Assert.Equal("pub/chat", tensors.Id);
        Assert.Equal(layout.DataStart, tensors.DataOffset);
        Assert.Equal(writer.Tensors.Select(t => t.Name), tensors.Tensors.Select(t => t.Name));
        Assert.All(tensors.Tensors, t => Assert.Equal("F32", t.Type));
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("missing/tensors")]
    public void GetModelOrTensors_UnknownId_IsNotFoundWithAJsonError(string id)
    {
        var result = ModelsApi.GetModelOrTensors(id, null, CatalogOf(_dir.Path), _inspector);

        Assert.Contains("not found", Assert.IsType<NotFound<ErrorResponse>>(result.Result).Value!.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void GetModelOrTensors_NotAGgufFile_IsUnprocessableWithTheReason()
    {
        Scanners.WriteFile(_dir.Combine("broken.gguf"), 100);

        var result = ModelsApi.GetModelOrTensors("broken", null, CatalogOf(_dir.Path), _inspector);

        Assert.Contains("magic", Assert.IsType<UnprocessableEntity<ErrorResponse>>(result.Result).Value!.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ModelDetails_Serialized_KeepsTheCatalogFieldsAndSurvivesNaN()
    {
        new GgufWriter().Add("general.architecture", "llama").Add("odd", float.NaN).Add("scores", new[] { float.NegativeInfinity })
            .WriteToFile(_dir.Combine("odd.gguf"));
        var result = ModelsApi.GetModelOrTensors("odd", null, CatalogOf(_dir.Path), _inspector);
        var details = Assert.IsType<Ok<ModelDetails>>(result.Result).Value!;

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(details, Json));

        foreach (var field in new[] { "id", "path", "sizeBytes", "modifiedAt", "shardCount", "facts", "metadata" })
            Assert.True(json.RootElement.TryGetProperty(field, out _), field);
        Assert.Equal("NaN", json.RootElement.GetProperty("metadata").GetProperty("odd").GetString());
    }

    [Fact]
    public void GetModelOrTensors_FileAddedAfterTheLastScan_IsFoundOnlyAfterARescan()
    {
        TinyModels.WriteChatModel(_dir.Combine("a.gguf"));
        var catalog = CatalogOf(_dir.Path);
        ModelsApi.ListModels(catalog);
        TinyModels.WriteChatModel(_dir.Combine("b.gguf"));

        var before = ModelsApi.GetModelOrTensors("b", null, catalog, _inspector);
        ModelsApi.Rescan(catalog);
        var after = ModelsApi.GetModelOrTensors("b", null, catalog, _inspector);

        Assert.IsType<NotFound<ErrorResponse>>(before.Result);
        Assert.Equal("b", Assert.IsType<Ok<ModelDetails>>(after.Result).Value!.Id);
    }

    [Fact]
    public void GetModelOrTensors_FactsCachedAndFileUnchanged_TakesFactsFromTheCache()
    {
        TinyModels.WriteChatModel(_dir.Combine("chat.gguf"));
        var source = new CountingHeaderSource();
        var cache = new FactsCache(CatalogPaths.FactsCacheFile(_home.Path), source, NullLogger<FactsCache>.Instance);
        var catalog = new ModelCatalog(Scanners.For(_dir.Path), cache);
        ModelsApi.ListModels(catalog);

        var result = ModelsApi.GetModelOrTensors("chat", null, catalog, new ModelInspector(NullLogger<ModelInspector>.Instance, cache));

        Assert.Equal("llama", Assert.IsType<Ok<ModelDetails>>(result.Result).Value!.Facts.Architecture);
        Assert.Equal(1, source.Reads);
    }

    [Fact]
    public void ListModels_ChatModel_ReturnsFileFieldsFactsAndPendingDigest()
    {
        var path = TinyModels.WriteChatModel(_dir.Combine("models", "chat.gguf"));

        var result = ModelsApi.ListModels(NewCatalog());

        var summary = Assert.Single(result.Value!);
        Assert.Equal(("chat", path, new FileInfo(path).Length, 1), (summary.Id, summary.Path, summary.SizeBytes, summary.ShardCount));
        Assert.Equal("llama", summary.Facts!.Architecture);
        Assert.Null(summary.Digest);
    }

    [Fact]
    public void Rescan_NewFile_ReturnsItInTheNewList()
    {
        TinyModels.WriteChatModel(_dir.Combine("models", "a.gguf"));
        var catalog = NewCatalog();
        ModelsApi.ListModels(catalog);
        TinyModels.WriteChatModel(_dir.Combine("models", "b.gguf"));

        var result = ModelsApi.Rescan(catalog);

        Assert.Equal(["a", "b"], result.Value!.Select(m => m.Id));
    }

    [Fact]
    public async Task GetModelOrTensors_WithCache_ReturnsCachedDigestAndFacts()
    {
        var path = TinyModels.WriteChatModel(_dir.Combine("models", "chat.gguf"));
        var cache = NewCache();
        var model = Assert.Single(Scanners.For(_dir.Combine("models")).Scan());
        cache.GetFacts(model);
        cache.SetDigest(model, await ModelDigest.ComputeAsync([path], TestContext.Current.CancellationToken));

        var result = ModelsApi.GetModelOrTensors(
            "chat", null, new ModelCatalog(Scanners.For(_dir.Combine("models")), cache), new ModelInspector(NullLogger<ModelInspector>.Instance, cache));

        var details = Assert.IsType<Ok<ModelDetails>>(result.Result).Value!;
        Assert.Equal("sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path))), details.Digest);
        Assert.Equal("llama", details.Facts.Architecture);
    }

    private FactsCache NewCache() =>
        new(CatalogPaths.FactsCacheFile(_dir.Combine("home")), new GgufFileHeaderSource(), NullLogger<FactsCache>.Instance);

    private ModelCatalog NewCatalog() => new(Scanners.For(_dir.Combine("models")), NewCache());

    /// <summary>A catalog of <paramref name="modelDir"/> whose cache lives outside it.</summary>
    private ModelCatalog CatalogOf(string modelDir, IGgufHeaderSource? source = null) =>
        new(Scanners.For(modelDir), new FactsCache(CatalogPaths.FactsCacheFile(_home.Path), source ?? new GgufFileHeaderSource(), NullLogger<FactsCache>.Instance));
}
