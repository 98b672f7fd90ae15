using LlamaAspire.Gateway;
using LlamaAspire.Gateway.LmStudio;
using LlamaAspire.Gateway.Ollama;
using LlamaAspire.Gateway.OpenAi;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddGatewayServices();

var app = builder.Build();

app.UseMiddleware<OllamaCorsMiddleware>();
app.UseMiddleware<OllamaHostGuardMiddleware>();
app.MapDefaultEndpoints();
app.MapOllamaApi();
app.MapLmStudioApi();
app.MapOpenAiApi();

app.Run();
