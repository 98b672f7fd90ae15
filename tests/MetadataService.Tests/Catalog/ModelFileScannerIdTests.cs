using LlamaAspire.MetadataService.Tests.Support;
using LlamaAspire.TestSupport;

namespace LlamaAspire.MetadataService.Tests.Catalog;

/// <summary>How files become model ids: split models and clashing stems.</summary>
public sealed class ModelFileScannerIdTests
{
    [Fact]
    public void Scan_SplitModel_IsOneModelWithAllShards()
    {
        using var dir = new TempDirectory("shards");
        var first = Scanners.WriteFile(dir.Combine("big-00001-of-00003.gguf"), 100);
        Scanners.WriteFile(dir.Combine("big-00002-of-00003.gguf"), 20);
        Scanners.WriteFile(dir.Combine("big-00003-of-00003.gguf"), 3);

        var model = Assert.Single(Scanners.For(dir.Path).Scan());

        Assert.Equal("big", model.Id);
        Assert.Equal(first, model.Path);
        Assert.Equal(3, model.ShardCount);
        Assert.Equal(123, model.SizeBytes);
    }

    [Fact]
    public void Scan_SplitModelWithUpperCaseExtension_SumsAllShards()
    {
        using var dir = new TempDirectory("shards");
        Scanners.WriteFile(dir.Combine("big-00001-of-00002.GGUF"), 100);
        Scanners.WriteFile(dir.Combine("big-00002-of-00002.GGUF"), 5);

        var model = Assert.Single(Scanners.For(dir.Path).Scan());

        Assert.Equal(("big", 2, 105L), (model.Id, model.ShardCount, model.SizeBytes));
    }

    [Fact]
    public void Scan_SameStemInTwoFolders_PrefixesParentFolder()
    {
        using var dir = new TempDirectory("clash");
        Scanners.WriteFile(dir.Combine("qwen", "Q4.gguf"));
        Scanners.WriteFile(dir.Combine("llama", "q4.gguf"));
        Scanners.WriteFile(dir.Combine("llama", "unique.gguf"));

        var models = Scanners.For(dir.Path).Scan();

        Assert.Equal(["llama/q4", "qwen/Q4", "unique"], models.Select(m => m.Id));
    }

    [Fact]
    public void Scan_SameStemInTwoModelDirs_PrefixesParentFolder()
    {
        using var first = new TempDirectory("clash");
        using var second = new TempDirectory("clash");
        Scanners.WriteFile(first.Combine("gemma", "model.gguf"));
        Scanners.WriteFile(second.Combine("phi", "model.gguf"));

        var models = Scanners.For(first.Path, second.Path).Scan();

        Assert.Equal(["gemma/model", "phi/model"], models.Select(m => m.Id));
    }

    [Fact]
    public void Find_ClashingStem_NeedsTheFolderPrefix()
    {
        using var dir = new TempDirectory("clash");
        Scanners.WriteFile(dir.Combine("a", "m.gguf"));
        var b = Scanners.WriteFile(dir.Combine("b", "m.gguf"));
        var scanner = Scanners.For(dir.Path);

        Assert.Null(scanner.Find("m"));
        Assert.Equal(b, scanner.Find("B/M")?.Path);
    }
}
