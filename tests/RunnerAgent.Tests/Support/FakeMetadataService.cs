using LlamaAspire.RunnerAgent.Metadata;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LlamaAspire.RunnerAgent.Tests.Support;

/// <summary>A real HTTP MetadataService stand-in: GET /models/{id} answers {id, path, sizeBytes} for the given models, 404 otherwise.</summary>
internal sealed class FakeMetadataService : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeMetadataService(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<FakeMetadataService> StartAsync(IEnumerable<ModelInfo> models)
    {
        var byId = models.ToDictionary(m => m.Id, StringComparer.OrdinalIgnoreCase);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/models/{**id}", (string id) => byId.TryGetValue(id, out var model) ? Results.Ok(model) : Results.NotFound());
        await app.StartAsync();
        return new FakeMetadataService(app, new Uri(app.Urls.Single()));
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
