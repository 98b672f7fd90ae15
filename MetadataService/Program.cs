using LlamaAspire.MetadataService;
using LlamaAspire.MetadataService.Aliases;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddMetadataServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapModelsApi();
app.MapAliasesApi();

app.Run();
