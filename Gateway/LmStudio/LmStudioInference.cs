using LlamaAspire.Gateway.Forwarding;
using LlamaAspire.Gateway.Upstream;
using Microsoft.Extensions.Options;

namespace LlamaAspire.Gateway.LmStudio;

/// <summary>
/// LM Studio's inference routes: read and check the body, lease the model (JIT loading; <c>ttl</c> as the keep-alive), and
/// relay llama-server's answer, on /v1 unchanged but for the model name, on /api/v0 with stats, model_info and runtime added.
/// </summary>
public sealed class LmStudioInference(
    RunnerAgentClient agent, LeasedSend send, LlamaServerPassthrough passthrough, LmStudioV0Relay v0Relay, MetadataClient metadata, LmStudioRunners runners,
    IOptions<GatewayOptions> options, TimeProvider time)
{
    public async Task<IResult> ForwardAsync(HttpContext context, string upstreamPath)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (body, request, refusal) = await ReadAsync(context);
        if (refusal is not null) return refusal;
        var ct = context.RequestAborted;
        LeasedCall call;
        try
        {
            call = await send.SendAsync([request!.Model], contextLength: null, request.KeepAlive,
                endpoint => LlamaServerPassthrough.JsonPost(endpoint, upstreamPath, body), ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return Results.Empty;   // the client left before llama-server answered
        }
        using var _ = call;
        if (call.Lease is not { } lease) return await RefusedAsync(request, call.Refusal!, ct);
        context.Response.Headers["Server-Timing"] = call.ServerTiming;
        await using var held = send.Hold(lease);
        if (call.Response is null) return LmStudioErrors.Unreachable(request.Model);
        if (UnsupportedRoute.IsUnsupported(call.Response))
            return LmStudioErrors.Error(System.Net.HttpStatusCode.BadRequest, UnsupportedRoute.Message(request.Model, upstreamPath), param: "model", code: "model_not_supported");
        await passthrough.RelayAsync(context, call.Response, lease.Endpoint, new ModelNameRewriter(lease.Model, request.Model));
        return Results.Empty;
    }

    /// <summary>REST v0: as <see cref="ForwardAsync"/>, with LM Studio's extras on the answer (on a stream, on its last chunk).</summary>
    public async Task<IResult> ForwardV0Async(HttpContext context, string upstreamPath)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (body, request, refusal) = await ReadAsync(context);
        if (refusal is not null) return refusal;
        var ct = context.RequestAborted;
        var (lease, leaseRefusal) = await LeaseAsync(request!, ct);
        if (lease is null) return leaseRefusal!;
        await using var held = new HeldLease(agent, lease, time);
        // Looked up while the model generates; only the last chunk waits for them.
        var facts = FactsAsync(lease.Model, ct);
        var runner = runners.FindAsync(lease.Model, ct);
        async Task<(LmStudioV0ModelInfo, LmStudioV0Runtime)> Extras() =>
            (LmStudioV0Extras.ModelInfo(await facts, lease.ContextLength), LmStudioV0Extras.Runtime(await runner));
        return await v0Relay.RelayAsync(context, lease.Endpoint, upstreamPath, body, new ModelNameRewriter(lease.Model, request!.Model), request, Extras)
            ? Results.Empty
            : LmStudioErrors.Unreachable(request.Model);
    }

    private async Task<(ReadOnlyMemory<byte> Body, LmStudioInferenceRequest? Request, IResult? Refusal)> ReadAsync(HttpContext context)
    {
        var limit = options.Value.MaxRequestBodyBytes;
        var body = await RequestBody.ReadAsync(context.Request, limit, context.RequestAborted);
        if (body.TooLarge) return (default, null, LmStudioErrors.TooLarge(limit));
        var (request, error) = LmStudioInferenceRequest.Parse(body.Bytes);
        return (body.Bytes, request, error);
    }

    private async Task<(Lease? Lease, IResult? Refusal)> LeaseAsync(LmStudioInferenceRequest request, CancellationToken ct)
    {
        var (lease, refusal) = await agent.AcquireFirstKnownAsync([request.Model], contextLength: null, request.KeepAlive, ct);
        return lease is not null ? (lease, null) : (null, await RefusedAsync(request, refusal!, ct));
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
