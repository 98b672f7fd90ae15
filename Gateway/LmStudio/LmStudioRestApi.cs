using System.Net;
using System.Text.Json;
using LlamaAspire.Gateway.Forwarding;
using LlamaAspire.Gateway.Upstream;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace LlamaAspire.Gateway.LmStudio;

/// <summary>LM Studio's native model routes: REST v0's model list and model, REST v1's list, load, unload and download.</summary>
public static class LmStudioRestApi
{
    private const string V0ModelPrefix = "/api/v0/models/";

    public const string DownloadNotSupported =
        "Downloading models is not supported yet: LlamaAspire serves the GGUF files already in its models folders. "
        + "Downloads come in a later release; until then put the file in a models folder and it is listed within seconds.";

    public static void MapLmStudioRestApi(this RouteGroupBuilder lmStudio)
    {
        ArgumentNullException.ThrowIfNull(lmStudio);
        lmStudio.MapGet("/api/v0/models", ListV0Async).WithName("LmStudio.V0.Models");
        // A catch-all, so ids with '/' work both as publisher/name and URL-encoded as publisher%2Fname.
        lmStudio.MapGet("/api/v0/models/{**id}", GetV0Async).WithName("LmStudio.V0.Model");
        lmStudio.MapGet("/api/v1/models", ListV1Async).WithName("LmStudio.V1.Models");
        lmStudio.MapPost("/api/v1/models/load", LoadAsync).WithName("LmStudio.V1.Load");
        lmStudio.MapPost("/api/v1/models/unload", UnloadAsync).WithName("LmStudio.V1.Unload");
        lmStudio.MapPost("/api/v1/models/download", Download).WithName("LmStudio.V1.Download");
    }

    public static async Task<Results<Ok<LmStudioV0ModelList>, JsonHttpResult<LmStudioErrorEnvelope>>> ListV0Async(
        MetadataClient metadata, LmStudioRunners runners, CancellationToken ct)
    {
        try
        {
            var (models, running) = await CatalogAsync(metadata, runners, ct);
            return TypedResults.Ok(LmStudioModelShapes.V0List(models, running));
        }
        catch (MetadataUnavailableException)
        {
            return CatalogUnavailable();
        }
    }

    public static async Task<Results<Ok<LmStudioV0Model>, JsonHttpResult<LmStudioErrorEnvelope>>> GetV0Async(
        string id, HttpContext context, MetadataClient metadata, LmStudioRunners runners, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var modelId = RawModelId(context) ?? id;
        try
        {
            if (await metadata.GetModelInfoAsync(modelId, ct) is not { } model)
                return LmStudioErrors.Error(HttpStatusCode.NotFound, $"Model \"{modelId}\" not found.", param: "model", code: LmStudioErrors.ModelNotFound);
            return TypedResults.Ok(LmStudioModelShapes.ToV0(model, await runners.FindAsync(model.Id, ct)));
        }
        catch (MetadataUnavailableException)
        {
            return CatalogUnavailable();
        }
    }

    public static async Task<Results<Ok<LmStudioV1ModelList>, JsonHttpResult<LmStudioErrorEnvelope>>> ListV1Async(
        MetadataClient metadata, LmStudioRunners runners, CancellationToken ct)
    {
        try
        {
            var (models, running) = await CatalogAsync(metadata, runners, ct);
            return TypedResults.Ok(LmStudioModelShapes.V1List(models, running));
        }
        catch (MetadataUnavailableException)
        {
            return CatalogUnavailable();
        }
    }

    /// <summary>
    /// Loads by taking a lease and giving it back at once: the lease waits for the load, and its keep-alive (<c>ttl</c> seconds,
    /// by default never) keeps the model loaded until it is unloaded, as LM Studio keeps a model it was told to load.
    /// </summary>
    public static async Task<Results<Ok<LmStudioV1LoadResponse>, JsonHttpResult<LmStudioErrorEnvelope>>> LoadAsync(
        HttpRequest request, RunnerAgentClient agent, MetadataClient metadata, IOptions<GatewayOptions> options, TimeProvider time, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(options);
        var (body, refusal) = await ReadJsonAsync(request, options.Value.MaxRequestBodyBytes, ct);
        using var _ = body;
        if (body is null) return refusal!;
        var root = body.RootElement;
        if (!TryString(root, "model", out var model))
            return LmStudioErrors.Error(HttpStatusCode.BadRequest, "'model' is required: the key of a downloaded model.", param: "model");
        int? contextLength = null;
        if (root.TryGetProperty("context_length", out var ctx) && ctx.ValueKind != JsonValueKind.Null)
        {
            if (ctx.ValueKind != JsonValueKind.Number || !ctx.TryGetInt32(out var n) || n < 1)
                return LmStudioErrors.Error(HttpStatusCode.BadRequest, "'context_length' must be a positive whole number.", param: "context_length");
            contextLength = n;
        }
        var keepAlive = JsonSerializer.SerializeToElement(-1);
        if (root.TryGetProperty("ttl", out var ttl) && ttl.ValueKind != JsonValueKind.Null)
        {
            if (ttl.ValueKind != JsonValueKind.Number || !ttl.TryGetInt64(out var seconds) || seconds < 0)
                return LmStudioErrors.Error(HttpStatusCode.BadRequest, "'ttl' must be a whole number of seconds, 0 or more.", param: "ttl");
            keepAlive = ttl.Clone();
        }

        var started = time.GetTimestamp();
        var (lease, leaseRefusal) = await agent.AcquireFirstKnownAsync([model], contextLength, keepAlive, ct);
        if (lease is null)
        {
            if (leaseRefusal!.Status != HttpStatusCode.NotFound) return LmStudioErrors.Refused(leaseRefusal);
            return LmStudioErrors.InvalidModel(model, await KnownIdsAsync(metadata, ct));
        }
        var loadTime = time.GetElapsedTime(started);
        await agent.ReleaseAsync(lease.LeaseId);
        var kind = await KindAsync(metadata, lease.Model, ct);
        return TypedResults.Ok(new LmStudioV1LoadResponse(kind == LmStudioModelKind.Embedding ? "embedding" : "llm", lease.Model, Math.Round(loadTime.TotalSeconds, 3)));
    }

    public static async Task<Results<Ok<LmStudioV1UnloadResponse>, JsonHttpResult<LmStudioErrorEnvelope>>> UnloadAsync(
        HttpRequest request, RunnerAgentClient agent, IOptions<GatewayOptions> options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(options);
        var (body, refusal) = await ReadJsonAsync(request, options.Value.MaxRequestBodyBytes, ct);
        using var _ = body;
        if (body is null) return refusal!;
        if (!TryString(body.RootElement, "instance_id", out var instance))
            return LmStudioErrors.Error(HttpStatusCode.BadRequest, "'instance_id' is required: the id of a loaded model instance.", param: "instance_id");
        return await agent.UnloadAsync(instance, ct)
            ? TypedResults.Ok(new LmStudioV1UnloadResponse(instance))
            : LmStudioErrors.Error(HttpStatusCode.NotFound, $"No loaded model instance with id \"{instance}\".", param: "instance_id", code: LmStudioErrors.ModelNotFound);
    }

    public static JsonHttpResult<LmStudioErrorEnvelope> Download() =>
        LmStudioErrors.Error(HttpStatusCode.NotImplemented, DownloadNotSupported, "not_implemented", code: "not_implemented");

    /// <summary>The id as the client wrote it, decoded once, so "publisher%2Fname" is "publisher/name" and "%252F" stays "%2F".</summary>
    private static string? RawModelId(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (raw is null || !raw.StartsWith(V0ModelPrefix, StringComparison.Ordinal)) return null;
        var path = raw[V0ModelPrefix.Length..];
        var query = path.IndexOf('?', StringComparison.Ordinal);
        return Uri.UnescapeDataString(query < 0 ? path : path[..query]);
    }

    private static async Task<(IReadOnlyList<CatalogModelInfo> Models, IReadOnlyList<LmStudioRunner> Running)> CatalogAsync(
        MetadataClient metadata, LmStudioRunners runners, CancellationToken ct)
    {
        var models = metadata.ListModelInfosAsync(ct);
        IReadOnlyList<LmStudioRunner> running;
        try
        {
            running = await runners.ListAsync(ct);
        }
        catch (HttpRequestException)
        {
            running = [];   // without the agent nothing can be loaded either
        }
        return (await models, running);
    }

    private static async Task<LmStudioModelKind> KindAsync(MetadataClient metadata, string model, CancellationToken ct)
    {
        try
        {
            return await metadata.GetModelInfoAsync(model, ct) is { } info ? LmStudioModelShapes.Kind(info) : LmStudioModelKind.Llm;
        }
        catch (MetadataUnavailableException)
        {
            return LmStudioModelKind.Llm;
        }
    }

    private static async Task<IReadOnlyList<string>> KnownIdsAsync(MetadataClient metadata, CancellationToken ct)
    {
        try
        {
            return [.. (await metadata.ListModelsAsync(ct)).Select(m => m.Id)];
        }
        catch (MetadataUnavailableException)
        {
            return [];
        }
    }

    /// <summary>The body as a JSON object, or the LM Studio error to answer (413 over the limit, 400 otherwise).</summary>
    private static async Task<(JsonDocument? Body, JsonHttpResult<LmStudioErrorEnvelope>? Refusal)> ReadJsonAsync(HttpRequest request, long limit, CancellationToken ct)
    {
        var body = await RequestBody.ReadAsync(request, limit, ct);
        if (body.TooLarge) return (null, LmStudioErrors.TooLarge(limit));
        try
        {
            var document = JsonDocument.Parse(body.Bytes);
            if (document.RootElement.ValueKind == JsonValueKind.Object) return (document, null);
            document.Dispose();
            return (null, LmStudioErrors.Error(HttpStatusCode.BadRequest, "The request body must be a JSON object."));
        }
        catch (JsonException)
        {
            return (null, LmStudioErrors.MalformedJson());
        }
    }

    private static bool TryString(JsonElement root, string name, out string value)
    {
        value = root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
        return !string.IsNullOrWhiteSpace(value);
    }

    private static JsonHttpResult<LmStudioErrorEnvelope> CatalogUnavailable() =>
        LmStudioErrors.Error(HttpStatusCode.ServiceUnavailable, LmStudioApi.ModelListUnavailable, "server_error");
}
