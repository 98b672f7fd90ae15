using LlamaAspire.MetadataService.Catalog;
using LlamaAspire.MetadataService.Tests.Support;
using LlamaAspire.TestSupport;
using LlamaAspire.TestSupport.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlamaAspire.MetadataService.Tests.Catalog;

/// <summary>Discovery against a fake home folder; the real one is never read.</summary>
public sealed class StoreDiscoveryTests : IDisposable
{
    private readonly TempDirectory _home = new("discovery");

    public void Dispose() => _home.Dispose();

    private ModelFileScanner Scanner(Action<MetadataOptions>? configure = null, Func<string, string?>? environment = null)
    {
        var options = new MetadataOptions { UserHome = _home.Path };
        configure?.Invoke(options);
        return new(new StaticOptionsMonitor<MetadataOptions>(options), NullLogger<ModelFileScanner>.Instance, environment ?? (_ => null));
    }

    private string WriteOllamaModel(string ns, string model, string tag, string? mediaType = null)
    {
        var blobPath = TinyModels.WriteChatModel(_home.Combine(".ollama", "models", "blobs", "tmp.gguf"));
        var hex = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(blobPath)));
        var blob = _home.Combine(".ollama", "models", "blobs", $"sha256-{hex}");
        File.Move(blobPath, blob, overwrite: true);
        var manifest = _home.Combine(".ollama", "models", "manifests", "registry.ollama.ai", ns, model, tag);
        Directory.CreateDirectory(Path.GetDirectoryName(manifest)!);
        File.WriteAllText(manifest, $$"""
            {"schemaVersion":2,"layers":[
              {"mediaType":"application/vnd.ollama.image.template","digest":"sha256:{{new string('a', 64)}}","size":1},
              {"mediaType":"{{mediaType ?? "application/vnd.ollama.image.model"}}","digest":"sha256:{{hex}}","size":1}]}
            """);
        return blob;
    }

    [Fact]
    public void Scan_LmStudioFolders_AreListed()
    {
        TinyModels.WriteChatModel(_home.Combine(".lmstudio", "models", "pub", "one", "one.gguf"));
        TinyModels.WriteChatModel(_home.Combine(".cache", "lm-studio", "models", "pub", "two", "two.gguf"));

        Assert.Equal(["one", "two"], Scanner().Scan().Select(m => m.Id));
    }

    [Fact]
    public void Scan_LmStudioSwitchedOff_IsNotListed()
    {
        TinyModels.WriteChatModel(_home.Combine(".lmstudio", "models", "pub", "one", "one.gguf"));

        Assert.Empty(Scanner(o => o.DiscoverLmStudio = false).Scan());
    }

    [Fact]
    public void Scan_LlamaCacheVariable_WinsOverDefaultFolder()
    {
        TinyModels.WriteChatModel(_home.Combine(".cache", "llama.cpp", "default.gguf"));
        TinyModels.WriteChatModel(_home.Combine("custom-cache", "custom.gguf"));

        var ids = Scanner(environment: name => name == StoreDiscovery.LlamaCacheVariable ? _home.Combine("custom-cache") : null).Scan();

        Assert.Equal(["custom"], ids.Select(m => m.Id));
    }

    [Fact]
    public void Scan_LlamaCppCacheDefault_IsListedUnlessSwitchedOff()
    {
        TinyModels.WriteChatModel(_home.Combine(".cache", "llama.cpp", "cached.gguf"));

        Assert.Equal(["cached"], Scanner().Scan().Select(m => m.Id));
        Assert.Empty(Scanner(o => o.DiscoverLlamaCppCache = false).Scan());
    }

    [Fact]
    public void Scan_OllamaManifests_ListBlobsUnderNameAndTag()
    {
        var library = WriteOllamaModel("library", "llama3.2", "3b");
        var user = WriteOllamaModel("someone", "tiny", "latest");

        var models = Scanner().Scan();

        Assert.Equal([("llama3.2:3b", library), ("someone/tiny:latest", user)], models.Select(m => (m.Id, m.Path)));
        Assert.Equal(new FileInfo(library).Length, models[0].SizeBytes);
    }

    [Fact]
    public void Scan_OllamaSwitchedOff_IsNotListed()
    {
        WriteOllamaModel("library", "llama3.2", "3b");

        Assert.Empty(Scanner(o => o.DiscoverOllama = false).Scan());
    }

    [Fact]
    public void Scan_OllamaManifestWithoutModelLayerOrCorrupt_IsSkipped()
    {
        WriteOllamaModel("library", "adapter", "latest", mediaType: "application/vnd.ollama.image.adapter");
        var corrupt = _home.Combine(".ollama", "models", "manifests", "registry.ollama.ai", "library", "broken", "latest");
        Directory.CreateDirectory(Path.GetDirectoryName(corrupt)!);
        File.WriteAllText(corrupt, "{ not json");

        Assert.Empty(Scanner().Scan());
    }

    [Fact]
    public void Roots_EnabledExistingStores_AreWatched()
    {
        Directory.CreateDirectory(_home.Combine(".lmstudio", "models"));
        Directory.CreateDirectory(_home.Combine(".ollama", "models"));

        var roots = Scanner(o => o.ModelDirs = [_home.Combine("mine")]).Roots();

        Assert.Equal([_home.Combine("mine"), _home.Combine(".lmstudio", "models"), _home.Combine(".ollama", "models")], roots);
    }
}
