using LlamaAspire.RunnerAgent;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddRunnerAgentServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapRunnersApi();
app.MapLeasesApi();

app.Run();
