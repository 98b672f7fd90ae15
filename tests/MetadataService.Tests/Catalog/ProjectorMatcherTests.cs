using LlamaAspire.MetadataService.Catalog;
using LlamaAspire.MetadataService.Tests.Support;
using LlamaAspire.TestSupport;

namespace LlamaAspire.MetadataService.Tests.Catalog;

public sealed class ProjectorMatcherTests
{
    [Fact]
    public void Scan_FlatFolderOfSeveralModels_MarksOnlyTheModelsTheProjectorIsNamedFor()
    {
        using var dir = new TempDirectory("projector");
        Scanners.WriteFile(dir.Combine("gemma-3-4b-it-Q4_K_M.gguf"));
        Scanners.WriteFile(dir.Combine("gemma-3-4b-it-Q8_0.gguf"));
        Scanners.WriteFile(dir.Combine("Llama-3.2-3B-Instruct-Q4_K_M.gguf"));
        Scanners.WriteFile(dir.Combine("mmproj-gemma-3-4b-it-f16.gguf"));

        var vision = Scanners.For(dir.Path).Scan().Where(m => m.HasVisionProjector).Select(m => m.Id);

        Assert.Equal(["gemma-3-4b-it-Q4_K_M", "gemma-3-4b-it-Q8_0"], vision);
    }

    [Fact]
    public void Scan_ModelWithProjector_CarriesThePathOfTheBestMatch()
    {
        using var dir = new TempDirectory("projector");
        Scanners.WriteFile(dir.Combine("gemma-3-4b-it-Q4_K_M.gguf"));
        Scanners.WriteFile(dir.Combine("gemma-3-12b-it-Q4_K_M.gguf"));
        Scanners.WriteFile(dir.Combine("mmproj-gemma-3-4b-it-f16.gguf"));
        Scanners.WriteFile(dir.Combine("mmproj-gemma-3-12b-it-f16.gguf"));

        var models = Scanners.For(dir.Path).Scan().ToDictionary(m => m.Id);

        Assert.Equal(dir.Combine("mmproj-gemma-3-4b-it-f16.gguf"), models["gemma-3-4b-it-Q4_K_M"].ProjectorPath);
        Assert.Equal(dir.Combine("mmproj-gemma-3-12b-it-f16.gguf"), models["gemma-3-12b-it-Q4_K_M"].ProjectorPath);
    }

    [Fact]
    public void Scan_ModelWithoutProjector_HasNoProjectorPath()
    {
        using var dir = new TempDirectory("projector");
        Scanners.WriteFile(dir.Combine("a", "Llama-3.2-3B-Q4_K_M.gguf"));

        Assert.Null(Scanners.For(dir.Path).Scan().Single().ProjectorPath);
    }

    [Fact]
    public void Scan_OneModelInItsFolder_AnyProjectorThereCounts()
    {
        using var dir = new TempDirectory("projector");
        Scanners.WriteFile(dir.Combine("vl", "Qwen2.5-VL-7B-Instruct-Q4_K_M.gguf"));
        Scanners.WriteFile(dir.Combine("vl", "mmproj-F16.gguf"));
        Scanners.WriteFile(dir.Combine("text", "Llama-3.2-3B-Q4_K_M.gguf"));

        var models = Scanners.For(dir.Path).Scan();

        Assert.True(models.Single(m => m.Id.StartsWith("Qwen", StringComparison.Ordinal)).HasVisionProjector);
        Assert.False(models.Single(m => m.Id.StartsWith("Llama", StringComparison.Ordinal)).HasVisionProjector);
    }

    [Fact]
    public void Scan_FlatFolderWithAnUnnamedProjector_MarksNoModel()
    {
        using var dir = new TempDirectory("projector");
        Scanners.WriteFile(dir.Combine("gemma-3-4b-it-Q4_K_M.gguf"));
        Scanners.WriteFile(dir.Combine("Llama-3.2-3B-Q4_K_M.gguf"));
        Scanners.WriteFile(dir.Combine("mmproj-f16.gguf"));

        Assert.All(Scanners.For(dir.Path).Scan(), m => Assert.False(m.HasVisionProjector));
    }

    [Fact]
    public void ModelsWithProjector_SharedPrefixTooShort_MatchesNothing()
    {
        var matched = ProjectorMatcher.ModelsWithProjector(["qwen3-8b", "qwq-32b"], ["mmproj-qwen2-vl"]);

        Assert.Empty(matched);
    }

    [Fact]
    public void ModelsWithProjector_NoProjector_MatchesNothing()
    {
        Assert.Empty(ProjectorMatcher.ModelsWithProjector(["only"], []));
    }
}
