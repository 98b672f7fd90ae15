using System.Security.Cryptography;
using LlamaAspire.MetadataService.Catalog;
using LlamaAspire.MetadataService.Inspection;
using LlamaAspire.MetadataService.Tests.Support;
using LlamaAspire.TestSupport;
using LlamaAspire.TestSupport.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlamaAspire.MetadataService.Tests.Catalog;

public sealed class DigestTests : IDisposable
{
    private readonly TempDirectory _dir = new("digest");

    public void Dispose() => _dir.Dispose();

    private string Models => _dir.Combine("models");

    private FactsCache NewCache(IGgufHeaderSource? source = null) =>
        new(CatalogPaths.FactsCacheFile(_dir.Combine("home")), source ?? new CountingHeaderSource(), NullLogger<FactsCache>.Instance);

    private DigestWorker NewWorker(FactsCache cache) => new(
        Scanners.For(Models), cache, new StaticOptionsMonitor<MetadataOptions>(Scanners.Options(Models)),
        TimeProvider.System, NullLogger<DigestWorker>.Instance);

    private static string Sha256Of(params string[] paths) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(paths.SelectMany(File.ReadAllBytes).ToArray()));

    [Fact]
    public async Task ComputeAsync_SingleFile_EqualsSha256OfItsBytes()
    {
        var path = TinyModels.WriteChatModel(_dir.Combine("chat.gguf"));

        var digest = await ModelDigest.ComputeAsync([path], TestContext.Current.CancellationToken);

        Assert.Equal(Sha256Of(path), digest);
        Assert.Matches("^sha256:[0-9a-f]{64}$", digest);
    }

    [Fact]
    public async Task ComputeAsync_Cancelled_Throws()
    {
        var path = TinyModels.WriteChatModel(_dir.Combine("chat.gguf"));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ModelDigest.ComputeAsync([path], new CancellationToken(canceled: true)));
    }

    [Fact]
    public async Task RunOnceAsync_ShardedModel_HashesAllShardsInOrder()
    {
        var first = Scanners.WriteFile(Path.Combine(Models, "big-00001-of-00002.gguf"), 100);
        var second = _dir.Combine("models", "big-00002-of-00002.gguf");
        File.WriteAllBytes(second, [.. Enumerable.Range(0, 50).Select(i => (byte)i)]);
        var cache = NewCache();

        await NewWorker(cache).RunOnceAsync(TestContext.Current.CancellationToken);

        Assert.Equal(Sha256Of(first, second), cache.GetDigest(Assert.Single(Scanners.For(Models).Scan())));
    }

    [Fact]
    public async Task RunOnceAsync_Restart_ServesDigestFromCacheWithoutHashing()
    {
        var path = TinyModels.WriteChatModel(Path.Combine(Models, "chat.gguf"));
        await NewWorker(NewCache()).RunOnceAsync(TestContext.Current.CancellationToken);

        var cache = NewCache();
        var hashed = await NewWorker(cache).RunOnceAsync(TestContext.Current.CancellationToken);

        Assert.Equal(0, hashed);
        Assert.Equal(Sha256Of(path), Assert.Single(cache.Summarize(Scanners.For(Models).Scan())).Digest);
    }

    [Fact]
    public async Task RunOnceAsync_ChangedFile_HashesAgain()
    {
        var path = TinyModels.WriteChatModel(Path.Combine(Models, "chat.gguf"));
        await NewWorker(NewCache()).RunOnceAsync(TestContext.Current.CancellationToken);
        TinyModels.WriteChatModel(path, seed: 7);
        File.SetLastWriteTimeUtc(path, File.GetLastWriteTimeUtc(path).AddMinutes(-5));

        var cache = NewCache();
        var hashed = await NewWorker(cache).RunOnceAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1, hashed);
        Assert.Equal(Sha256Of(path), cache.GetDigest(Assert.Single(Scanners.For(Models).Scan())));
    }

    [Fact]
    public void Summarize_NotHashedYet_DigestIsNull()
    {
        TinyModels.WriteChatModel(Path.Combine(Models, "chat.gguf"));

        var summary = Assert.Single(NewCache().Summarize(Scanners.For(Models).Scan()));

        Assert.Null(summary.Digest);
    }

    [Fact]
    public void SetDigest_FileChangedMeanwhile_IsDropped()
    {
        var path = TinyModels.WriteChatModel(Path.Combine(Models, "chat.gguf"));
        var cache = NewCache();
        var before = Assert.Single(Scanners.For(Models).Scan());
        cache.GetFacts(before);
        File.SetLastWriteTimeUtc(path, before.ModifiedAt.UtcDateTime.AddMinutes(-5));
        var after = Assert.Single(Scanners.For(Models).Scan());
        cache.GetFacts(after);

        cache.SetDigest(before, "sha256:" + new string('0', 64));

        Assert.Null(cache.GetDigest(after));
    }

    [Fact]
    public async Task RunOnceAsync_WhileALargeFileIsHashing_TheApiStillAnswers()
    {
        TinyModels.WriteChatModel(Path.Combine(Models, "chat.gguf"));
        var large = Path.Combine(Models, "large.gguf");
        using (var sparse = File.Create(large)) sparse.SetLength(64L << 30);   // sparse: takes no disk, hashes for a long while
        var cache = NewCache();
        var catalog = new ModelCatalog(Scanners.For(Models), cache);
        catalog.Refresh();
        var worker = NewWorker(cache);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var digests = worker.RunOnceAsync(stop.Token);
        Assert.True(SpinWait.SpinUntil(() => worker.Current == large, TimeSpan.FromMinutes(1)), "the large file's digest never started");
        var listed = ModelsApi.ListModels(catalog).Value!;
        var details = ModelsApi.GetModelOrTensors("chat", null, catalog, new ModelInspector(NullLogger<ModelInspector>.Instance, cache));
        var stillHashing = worker.Current == large;
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => digests);

        Assert.True(stillHashing);
        Assert.Equal(["chat", "large"], listed.Select(m => m.Id));
        Assert.Equal("llama", Assert.IsType<Microsoft.AspNetCore.Http.HttpResults.Ok<ModelDetails>>(details.Result).Value!.Facts.Architecture);
    }

    [Theory]
    [InlineData("sha256-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("model.gguf", null)]
    [InlineData("sha256-0123", null)]
    public void FromBlobName_OllamaBlobOrOther_ReturnsNamedDigestOrNull(string name, string? expected)
    {
        Assert.Equal(expected, ModelDigest.FromBlobName(_dir.Combine(name)));
    }

    [Fact]
    public async Task RunOnceAsync_OllamaBlob_TakesDigestFromItsNameWithoutHashing()
    {
        var hex = new string('b', 64);   // not the hash of the bytes: proves the name is used
        var models = _dir.Combine("home", ".ollama", "models");
        Scanners.WriteFile(Path.Combine(models, "blobs", $"sha256-{hex}"));
        var manifest = Path.Combine(models, "manifests", "registry.ollama.ai", "library", "tiny", "latest");
        Directory.CreateDirectory(Path.GetDirectoryName(manifest)!);
        File.WriteAllText(manifest, $$"""{"layers":[{"mediaType":"application/vnd.ollama.image.model","digest":"sha256:{{hex}}"}]}""");
        var options = new StaticOptionsMonitor<MetadataOptions>(Scanners.Options());
        options.CurrentValue.DiscoverOllama = true;
        options.CurrentValue.UserHome = _dir.Combine("home");
        var scanner = new ModelFileScanner(options, NullLogger<ModelFileScanner>.Instance);
        var cache = NewCache();

        await new DigestWorker(scanner, cache, options, TimeProvider.System, NullLogger<DigestWorker>.Instance)
            .RunOnceAsync(TestContext.Current.CancellationToken);

        var model = Assert.Single(scanner.Scan());
        Assert.Equal("tiny:latest", model.Id);
        Assert.Equal($"sha256:{hex}", cache.GetDigest(model));
    }
}
