using LlamaAspire.MetadataService.Catalog;

namespace LlamaAspire.MetadataService;

public static class MetadataServiceExtensions
{
    public static IHostApplicationBuilder AddMetadataServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<MetadataOptions>()
            .BindConfiguration(MetadataOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ModelFileScanner>();
        return builder;
    }
}
