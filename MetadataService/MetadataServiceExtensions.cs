using System.Text.Json.Serialization;
using LlamaAspire.MetadataService.Aliases;
using LlamaAspire.MetadataService.Catalog;
using LlamaAspire.MetadataService.Inspection;

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
        builder.Services.AddSingleton<IGgufHeaderSource, GgufFileHeaderSource>();
        builder.Services.AddSingleton(sp => new FactsCache(
            CatalogPaths.FactsCacheFile(CatalogPaths.Home(sp.GetRequiredService<IConfiguration>())),
            sp.GetRequiredService<IGgufHeaderSource>(),
            sp.GetRequiredService<ILogger<FactsCache>>()));
        builder.Services.AddSingleton<ModelInspector>();
        builder.Services.AddSingleton(sp => new AliasStore(
            CatalogPaths.AliasesFile(CatalogPaths.Home(sp.GetRequiredService<IConfiguration>())),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<AliasStore>>()));
        builder.Services.AddSingleton<ModelFileDeletion>();
        builder.Services.AddSingleton<ModelCatalog>();
        builder.Services.AddHostedService<CatalogWatcher>();
        builder.Services.AddHostedService<DigestWorker>();
        // A file may hold NaN or infinite floats; they must not turn the response into a 500.
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.NumberHandling |= JsonNumberHandling.AllowNamedFloatingPointLiterals);
        return builder;
    }
}
