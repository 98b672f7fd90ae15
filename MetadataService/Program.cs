using LlamaAspire.MetadataService;
using LlamaAspire.MetadataService.Catalog;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddMetadataServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapModelsApi();

app.Run();
