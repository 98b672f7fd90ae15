using LlamaAspire.Gateway.Forwarding;
using LlamaAspire.Gateway.Upstream;
using Microsoft.Extensions.Options;

namespace LlamaAspire.Gateway.LmStudio;

/// <summary>
/// LM Studio's inference routes: read and check the body, lease the model (JIT loading; <c>ttl</c> as the keep-alive), and
/// relay llama-server's answer, on /v1 unchanged but for the model name, on /api/v0 with stats, model_info and runtime added.
/// </summary>
public sealed class LmStudioInference(
    LeasedSend send, LlamaServerPassthrough passthrough, LmStudioV0Relay v0Relay, MetadataClient metadata, LmStudioRunners runners,
    IOptions<GatewayOptions> options)
{
    public async Task<IResult> ForwardAsync(HttpContext context, string upstreamPath)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (body, request, refusal) = await ReadAsync(context);
        if (refusal is not null) return refusal;
        var (call, failure) = await SendAsync(request!, upstreamPath, body, context, context.RequestAborted);
        if (call is null) return failure!;
        using var _ = call;
        await using var held = send.Hold(call.Lease!);
        await passthrough.RelayAsync(context, call.Response!, call.Lease!.Endpoint, new ModelNameRewriter(call.Lease.Model, request!.Model));
        return Results.Empty;
    }

    /// <summary>REST v0: as <see cref="ForwardAsync"/>, with LM Studio's extras on the answer (on a stream, on its last chunk).</summary>
    public async Task<IResult> ForwardV0Async(HttpContext context, string upstreamPath)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (body, request, refusal) = await ReadAsync(context);
        if (refusal is not null) return refusal;
        var ct = context.RequestAborted;
        var (call, failure) = await SendAsync(request!, upstreamPath, body, context, ct);
        if (call is null) return failure!;
        using var _ = call;
        var lease = call.Lease!;
        await using var held = send.Hold(lease);
        // Looked up while the model generates; only the last chunk waits for them.
        var facts = FactsAsync(lease.Model, ct);
        var runner = runners.FindAsync(lease.Model, ct);
        async Task<(LmStudioV0ModelInfo, LmStudioV0Runtime)> Extras() =>
            (LmStudioV0Extras.ModelInfo(await facts, lease.ContextLength), LmStudioV0Extras.Runtime(await runner));
        await v0Relay.RelayAsync(context, call.Response!, lease.Endpoint, new ModelNameRewriter(lease.Model, request!.Model), request, Extras);
        return Results.Empty;
    }

    /// <summary>
    /// The leased call with llama-server's response, or what to answer instead: a lease refusal, an unreachable server,
    /// a route the model does not serve, or nothing at all when the client left.
    /// </summary>
    private async Task<(LeasedCall? Call, IResult? Answer)> SendAsync(
        LmStudioInferenceRequest request, string upstreamPath, ReadOnlyMemory<byte> body, HttpContext context, CancellationToken ct)
    {
        LeasedCall call;
        try
        {
            call = await send.SendAsync([request.Model], contextLength: null, request.KeepAlive,
                endpoint => LlamaServerPassthrough.JsonPost(endpoint, upstreamPath, body), ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return (null, Results.Empty);   // the client left before llama-server answered
        }
        IResult? answer = call switch
        {
            { Lease: null } => await RefusedAsync(request, call.Refusal!, ct),
            { Response: null } => LmStudioErrors.Unreachable(request.Model),
            { Response: var response } when UnsupportedRoute.IsUnsupported(response) =>
                LmStudioErrors.Error(System.Net.HttpStatusCode.BadRequest, UnsupportedRoute.Message(request.Model, upstreamPath), param: "model", code: "model_not_supported"),
            _ => null,
        };
        if (answer is not null)
        {
            if (call.Lease is { } lease) send.Release(lease);
            call.Dispose();
            return (null, answer);
        }
        context.Response.Headers["Server-Timing"] = call.ServerTiming;
        return (call, null);
    }

    private async Task<(ReadOnlyMemory<byte> Body, LmStudioInferenceRequest? Request, IResult? Refusal)> ReadAsync(HttpContext context)
    {
        var limit = options.Value.MaxRequestBodyBytes;
        var body = await RequestBody.ReadAsync(context.Request, limit, context.RequestAborted);
        if (body.TooLarge) return (default, null, LmStudioErrors.TooLarge(limit));
        var (request, error) = LmStudioInferenceRequest.Parse(body.Bytes);
        return (body.Bytes, request, error);
    }

    private async Task<IResult> RefusedAsync(LmStudioInferenceRequest request, LeaseRefusal refusal, CancellationToken ct) =>
        refusal.Status == System.Net.HttpStatusCode.NotFound
            ? LmStudioErrors.InvalidModel(request.Model, await KnownIdsAsync(ct))
            : LmStudioErrors.Refused(refusal);

    private async Task<IReadOnlyList<string>> KnownIdsAsync(CancellationToken ct)
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

    private async Task<CatalogModelFacts?> FactsAsync(string model, CancellationToken ct)
    {
        try
        {
            return (await metadata.GetModelInfoAsync(model, ct))?.Facts;
        }
        catch (Exception e) when (e is MetadataUnavailableException or OperationCanceledException)
        {
            return null;
        }
    }
}
