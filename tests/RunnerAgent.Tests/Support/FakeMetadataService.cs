using LlamaAspire.RunnerAgent.Metadata;
using LlamaAspire.TestSupport.Network;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LlamaAspire.RunnerAgent.Tests.Support;

/// <summary>A MetadataService stand-in: GET /models/{id} answers {id, path, sizeBytes} for the given models, 404 otherwise.</summary>
internal static class FakeMetadataService
{
    public static Task<LoopbackWebServer> StartAsync(IEnumerable<ModelInfo> models)
    {
        var byId = models.ToDictionary(m => m.Id, StringComparer.OrdinalIgnoreCase);
        return LoopbackWebServer.StartAsync(app =>
            app.MapGet("/models/{**id}", (string id) => byId.TryGetValue(id, out var model) ? Results.Ok(model) : Results.NotFound()));
    }
}
