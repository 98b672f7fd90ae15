using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LlamaAspire.MetadataService.Tests;

/// <summary>The options as AddMetadataServices registers them, bound from configuration.</summary>
public sealed class MetadataOptionsTests
{
    [Theory]
    [InlineData("models")]
    [InlineData("./models")]
    [InlineData("~/models")]
    public void Value_RelativeModelDir_FailsValidation(string relative)
    {
        using var host = BuildHost("/srv/models", relative);

        var e = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<MetadataOptions>>().Value);

        var failure = Assert.Single(e.Failures);
        Assert.Contains($"'{relative}' is not an absolute path", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Value_AbsoluteModelDirs_AreBound()
    {
        using var host = BuildHost("/srv/models", "/home/me/gguf");

        var options = host.Services.GetRequiredService<IOptions<MetadataOptions>>().Value;

        Assert.Equal(["/srv/models", "/home/me/gguf"], options.ModelDirs);
    }

    [Theory]
    [InlineData("RescanInterval")]
    [InlineData("DigestInterval")]
    public void Value_NonPositiveInterval_FailsValidation(string key)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new());
        builder.Configuration.AddInMemoryCollection([KeyValuePair.Create($"{MetadataOptions.SectionName}:{key}", (string?)"00:00:00")]);
        builder.AddMetadataServices();
        using var host = builder.Build();

        var e = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<MetadataOptions>>().Value);

        Assert.Contains($"Metadata:{key} must be positive", Assert.Single(e.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void Value_Defaults_RescanAndHashEveryFiveSeconds()
    {
        using var host = BuildHost();

        var options = host.Services.GetRequiredService<IOptions<MetadataOptions>>().Value;

        Assert.Equal((TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5)), (options.RescanInterval, options.DigestInterval));
    }

    private static IHost BuildHost(params string[] modelDirs)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new());
        builder.Configuration.AddInMemoryCollection(modelDirs.Select((dir, i) =>
            KeyValuePair.Create($"{MetadataOptions.SectionName}:ModelDirs:{i}", (string?)dir)));
        builder.AddMetadataServices();
        return builder.Build();
    }
}
