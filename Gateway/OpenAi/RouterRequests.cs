using System.Net;
using System.Text.Json;
using LlamaAspire.Gateway.Forwarding;
using LlamaAspire.Gateway.Upstream;

namespace LlamaAspire.Gateway.OpenAi;

/// <summary>A router request's JSON body, read whole and checked: its bytes and the model it names, if any.</summary>
public sealed record RouterBody(ReadOnlyMemory<byte> Bytes, string? Model);

/// <summary>Reading router requests and finding the model they are for, each refusal in llama-server's envelope.</summary>
public static class RouterRequests
{
    public static async Task<(RouterBody? Body, IResult? Error)> ReadBodyAsync(HttpRequest request, GatewayOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        var body = await RequestBody.ReadAsync(request, options.MaxRequestBodyBytes, ct);
        if (body.TooLarge)
            return (null, RouterErrors.Error(HttpStatusCode.RequestEntityTooLarge, $"The request body exceeds the limit of {options.MaxRequestBodyBytes} bytes."));
        try
        {
            using var document = JsonDocument.Parse(body.Bytes);
            if (document.RootElement.ValueKind != JsonValueKind.Object) return (null, RouterErrors.BadRequest("the request body must be a JSON object"));
            var model = document.RootElement.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            return (new RouterBody(body.Bytes, string.IsNullOrWhiteSpace(model) ? null : model), null);
        }
        catch (JsonException e)
        {
            return (null, RouterErrors.BadRequest($"{RouterErrors.BadJson}: {e.Message}"));
        }
    }

    /// <summary>
    /// The model named, or without one the only model loaded; otherwise the router's "missing" refusal. With
    /// <c>?autoload=false</c> (the router's per-request switch) a model that is not loaded is refused, not loaded.
    /// </summary>
    public static async Task<(string? Model, IResult? Error)> ResolveAsync(string? model, HttpRequest request, RunnerAgentClient agent, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(agent);
        var autoload = request.Query["autoload"].ToString() is not ("false" or "0");
        if (!string.IsNullOrWhiteSpace(model) && autoload) return (model, null);
        IReadOnlyList<RunnerStatus> runners;
        try
        {
            runners = await agent.ListRunnersAsync(ct);
        }
        catch (HttpRequestException e)
        {
            return (null, RouterErrors.Unavailable(e.Message));
        }
        var loaded = runners.Where(r => RouterModels.StatusOf(r.State) == RouterModels.Loaded).ToList();
        if (!string.IsNullOrWhiteSpace(model))
        {
            return loaded.Any(r => r.Model.Equals(model, StringComparison.OrdinalIgnoreCase))
                ? (model, null)
                : (null, RouterErrors.BadRequest("model is not loaded"));
        }
        return loaded.Count == 1
            ? (loaded[0].Model, null)
            : (null, RouterErrors.BadRequest(loaded.Count == 0
                ? $"{RouterErrors.MissingModel} (no model is loaded)"
                : $"{RouterErrors.MissingModel} ({loaded.Count} models are loaded)"));
    }

    /// <summary>The catalog's own spelling of <paramref name="model"/>; null when the catalog has no such model.</summary>
    public static async Task<string?> FindInCatalogAsync(string model, MetadataClient metadata, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var catalog = await metadata.ListModelsAsync(ct);
        return catalog.FirstOrDefault(m => m.Id.Equals(model, StringComparison.OrdinalIgnoreCase))?.Id;
    }
}
