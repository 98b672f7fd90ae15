using System.Text.Json;
using LlamaAspire.TestSupport.Network;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LlamaAspire.Gateway.Tests.Support;

/// <summary>An in-test MetadataService whose GET /models answers with a fixed result (and GET /aliases with none).</summary>
internal static class FakeMetadataService
{
    /// <summary>Serves the models named by <paramref name="ids"/>, in that order, in MetadataService's JSON shape.</summary>
    public static Task<LoopbackWebServer> StartWithModelsAsync(CancellationToken ct, params string[] ids) =>
        StartAsync(Results.Text(CatalogJson(ids), "application/json"), ct);

    public static Task<LoopbackWebServer> StartAsync(IResult modelsResponse, CancellationToken ct) =>
        LoopbackWebServer.StartAsync(app =>
        {
            app.MapGet("/models", () => modelsResponse);
            app.MapGet("/aliases", () => Results.Text("[]", "application/json"));
        }, ct);

    public static string CatalogJson(IEnumerable<string> ids) =>
        JsonSerializer.Serialize(ids.Select(id => new
        {
            id,
            path = $"/models/{id}.gguf",
            sizeBytes = 1,
            modifiedAt = "2026-01-01T00:00:00Z",
            shardCount = 1,
        }));
}
