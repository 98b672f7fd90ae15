using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace LlamaAspire.Gateway.Tests.Support;

/// <summary>An in-test MetadataService on 127.0.0.1:0 whose GET /models answers with a fixed result.</summary>
internal sealed class FakeMetadataService : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeMetadataService(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    /// <summary>Serves the models named by <paramref name="ids"/>, in that order, in MetadataService's JSON shape.</summary>
    public static Task<FakeMetadataService> StartWithModelsAsync(CancellationToken ct, params string[] ids) =>
        StartAsync(Results.Text(CatalogJson(ids), "application/json"), ct);

    public static async Task<FakeMetadataService> StartAsync(IResult modelsResponse, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        // The Gateway's appsettings.json sits next to the tests; its Kestrel endpoints are not ours.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = "http://127.0.0.1:0" });
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/models", () => modelsResponse);
        await app.StartAsync(ct);
        return new FakeMetadataService(app, new Uri(app.Urls.Single()));
    }

    public static string CatalogJson(IEnumerable<string> ids) =>
        JsonSerializer.Serialize(ids.Select(id => new
        {
            id,
            path = $"/models/{id}.gguf",
            sizeBytes = 1,
            modifiedAt = "2026-01-01T00:00:00Z",
            shardCount = 1,
        }));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
