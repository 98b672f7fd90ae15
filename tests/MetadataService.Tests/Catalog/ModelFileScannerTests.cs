using LlamaAspire.MetadataService.Tests.Support;
using LlamaAspire.TestSupport;

namespace LlamaAspire.MetadataService.Tests.Catalog;

public sealed class ModelFileScannerTests
{
    [Fact]
    public void Scan_NestedFolders_FindsGgufFilesRecursively()
    {
        using var dir = new TempDirectory("scan");
        var top = Scanners.WriteFile(dir.Combine("top.gguf"), 10);
        var deep = Scanners.WriteFile(dir.Combine("a", "b", "deep.gguf"), 20);

        var models = Scanners.For(dir.Path).Scan();

        Assert.Equal(["deep", "top"], models.Select(m => m.Id));
        Assert.Equal([deep, top], models.Select(m => m.Path));
        Assert.Equal([20L, 10L], models.Select(m => m.SizeBytes));
        Assert.All(models, m => Assert.Equal(1, m.ShardCount));
    }

    [Fact]
    public void Scan_OtherFilesAndProjectors_AreIgnored()
    {
        using var dir = new TempDirectory("scan");
        Scanners.WriteFile(dir.Combine("model.gguf"));
        Scanners.WriteFile(dir.Combine("model.bin"));
        Scanners.WriteFile(dir.Combine("notes.gguf.txt"));
        Scanners.WriteFile(dir.Combine("mmproj-model-f16.gguf"));
        Scanners.WriteFile(dir.Combine("vision", "MMPROJ.gguf"));

        var models = Scanners.For(dir.Path).Scan();

        Assert.Equal(["model"], models.Select(m => m.Id));
    }

    [Fact]
    public void Scan_UpperCaseExtension_IsFound()
    {
        using var dir = new TempDirectory("scan");
        var path = Scanners.WriteFile(dir.Combine("Shouty.GGUF"));
        Scanners.WriteFile(dir.Combine("mixed.GgUf"));

        var models = Scanners.For(dir.Path).Scan();

        Assert.Equal(["mixed", "Shouty"], models.Select(m => m.Id));
        Assert.Equal(path, models[1].Path);
    }

    [Fact]
    public void Scan_MissingDirectory_IsSkipped()
    {
        using var dir = new TempDirectory("scan");
        Scanners.WriteFile(dir.Combine("present", "here.gguf"));

        var models = Scanners.For(dir.Combine("absent"), dir.Combine("present")).Scan();

        Assert.Equal(["here"], models.Select(m => m.Id));
    }

    [Fact]
    public void Scan_NoDirectoriesConfigured_ReturnsEmpty()
    {
        Assert.Empty(Scanners.For().Scan());
    }

    [Fact]
    public void Find_DifferentCase_ReturnsTheModel()
    {
        using var dir = new TempDirectory("scan");
        var path = Scanners.WriteFile(dir.Combine("Qwen3-0.6B-Q8_0.gguf"));

        var found = Scanners.For(dir.Path).Find("qwen3-0.6b-q8_0");

        Assert.NotNull(found);
        Assert.Equal("Qwen3-0.6B-Q8_0", found.Id);
        Assert.Equal(path, found.Path);
    }

    [Fact]
    public void Find_UnknownId_ReturnsNull()
    {
        using var dir = new TempDirectory("scan");
        Scanners.WriteFile(dir.Combine("known.gguf"));

        Assert.Null(Scanners.For(dir.Path).Find("unknown"));
    }
}
