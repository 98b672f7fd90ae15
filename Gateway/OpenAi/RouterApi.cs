using System.Net;
using System.Text;
using System.Text.Json;
using LlamaAspire.Gateway.Forwarding;
using LlamaAspire.Gateway.Upstream;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace LlamaAspire.Gateway.OpenAi;

/// <summary>
/// llama.cpp's router mode on the OpenAI port: the model list with each model's status, load and unload, live status
/// events, and llama-server's own endpoints relayed to the model a request names (in its body, or <c>?model=</c>).
/// </summary>
public static class RouterApi
{
    public static void MapRouterApi(this RouteGroupBuilder openAi)
    {
        ArgumentNullException.ThrowIfNull(openAi);
        openAi.MapGet("/v1/models", ListModelsAsync).WithName("Router.V1Models");
        openAi.MapGet("/v1/models/{**model}", GetModelAsync).WithName("Router.V1Model");
        openAi.MapGet("/models", ListModelsAsync).WithName("Router.Models");
        openAi.MapPost("/models/load", LoadAsync).WithName("Router.Load");
        openAi.MapPost("/models/unload", UnloadAsync).WithName("Router.Unload");
        openAi.MapGet("/models/sse", StatusEventsAsync).WithName("Router.StatusEvents");
        openAi.MapPost("/completion", CompletionAsync).WithName("Router.Completion");
        openAi.MapPost("/tokenize", TokenizeAsync).WithName("Router.Tokenize");
        openAi.MapPost("/detokenize", DetokenizeAsync).WithName("Router.Detokenize");
        openAi.MapPost("/apply-template", ApplyTemplateAsync).WithName("Router.ApplyTemplate");
        openAi.MapGet("/props", PropsAsync).WithName("Router.Props");
        openAi.MapGet("/slots", SlotsAsync).WithName("Router.Slots");
        openAi.MapGet("/metrics", MetricsAsync).WithName("Router.Metrics");
    }

    /// <summary>GET /models and GET /v1/models: every catalog model with its status and, when running, its command line.</summary>
    public static Task<IResult> ListModelsAsync(MetadataClient metadata, RunnerAgentClient agent, TimeProvider time, CancellationToken ct) =>
        WithModelsAsync(metadata, agent, time, list => TypedResults.Json(list), ct);

    /// <summary>
    /// GET /v1/models/{model}: one entry of the list, as OpenAI's "retrieve model" answers (the router has no such
    /// route; OpenAI clients call it). An id with a slash is taken whole; unknown is a 404 in the router's envelope.
    /// </summary>
    public static Task<IResult> GetModelAsync(string model, MetadataClient metadata, RunnerAgentClient agent, TimeProvider time, CancellationToken ct) =>
        WithModelsAsync(metadata, agent, time, list =>
            list.Data.FirstOrDefault(m => string.Equals(m.Id, model, StringComparison.OrdinalIgnoreCase)) is { } found
                ? TypedResults.Json(found)
                : RouterErrors.Error(HttpStatusCode.NotFound, $"model '{model}' not found"), ct);

    private static async Task<IResult> WithModelsAsync(
        MetadataClient metadata, RunnerAgentClient agent, TimeProvider time, Func<RouterModelList, IResult> answer, CancellationToken ct)
    {
        try
        {
            var catalog = await metadata.ListModelsAsync(ct);
            var runners = await agent.ListRunnersAsync(ct);
            return answer(RouterModels.List(catalog, runners, time.GetUtcNow()));
        }
        catch (MetadataUnavailableException e)
        {
            return RouterErrors.Unavailable(e.Message);
        }
        catch (HttpRequestException e)
        {
            return RouterErrors.Unavailable(e.Message);
        }
    }

    /// <summary>POST /models/load {model}: loads it and answers once it serves; it then stays for its keep-alive.</summary>
    public static async Task<IResult> LoadAsync(
        HttpContext context, MetadataClient metadata, RunnerAgentClient agent, IOptions<GatewayOptions> options, CancellationToken ct)
    {
        var (body, error) = await RouterRequests.ReadBodyAsync(context.Request, options.Value, ct);
        if (error is not null) return error;
        if (body!.Model is not { } asked) return RouterErrors.BadRequest(RouterErrors.MissingModel);
        try
        {
            if (await RouterRequests.FindInCatalogAsync(asked, metadata, ct) is not { } model)
                return RouterErrors.Error(HttpStatusCode.NotFound, "model is not found");
            var runner = (await agent.ListRunnersAsync(ct)).FirstOrDefault(r => r.Model.Equals(model, StringComparison.OrdinalIgnoreCase));
            if (RouterModels.StatusOf(runner?.State) != RouterModels.Unloaded) return RouterErrors.BadRequest("model is already running");
            // A lease taken and given back: the model is loaded, and its keep-alive starts now.
            var (lease, refusal) = await agent.AcquireAsync(model, contextLength: null, keepAlive: null, ct);
            if (lease is null) return RouterErrors.Refused(model, refusal!);
            await agent.ReleaseAsync(lease.LeaseId);
            return TypedResults.Json(new RouterSuccess());
        }
        catch (MetadataUnavailableException e)
        {
            return RouterErrors.Unavailable(e.Message);
        }
        catch (HttpRequestException e)
        {
            return RouterErrors.Unavailable(e.Message);
        }
    }

    /// <summary>POST /models/unload {model}: answers once its process has gone (after its in-flight requests).</summary>
    public static async Task<IResult> UnloadAsync(
        HttpContext context, MetadataClient metadata, RunnerAgentClient agent, IOptions<GatewayOptions> options, CancellationToken ct)
    {
        var (body, error) = await RouterRequests.ReadBodyAsync(context.Request, options.Value, ct);
        if (error is not null) return error;
        if (body!.Model is not { } asked) return RouterErrors.BadRequest(RouterErrors.MissingModel);
        try
        {
            if (await RouterRequests.FindInCatalogAsync(asked, metadata, ct) is not { } model) return RouterErrors.BadRequest("model is not found");
            var runner = (await agent.ListRunnersAsync(ct)).FirstOrDefault(r => r.Model.Equals(model, StringComparison.OrdinalIgnoreCase));
            if (RouterModels.StatusOf(runner?.State) == RouterModels.Unloaded || !await agent.UnloadAsync(model, ct))
                return RouterErrors.BadRequest("model is not running");
            return TypedResults.Json(new RouterSuccess());
        }
        catch (MetadataUnavailableException e)
        {
            return RouterErrors.Unavailable(e.Message);
        }
        catch (HttpRequestException e)
        {
            return RouterErrors.Unavailable(e.Message);
        }
    }

    /// <summary>GET /models/sse: a <c>model_status</c> event per status change, flushed as it happens, until the client leaves.</summary>
    public static async Task<IResult> StatusEventsAsync(HttpContext context, RunnerAgentClient agent, IHostApplicationLifetime lifetime)
    {
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var ct = stopping.Token;
        RunnerStatusSubscription stream;
        try
        {
            stream = await agent.WatchRunnersAsync(ct);
        }
        catch (HttpRequestException e)
        {
            return RouterErrors.Unavailable($"the runner agent is unavailable: {e.Message}");
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return Results.Empty;
        }
        using (stream)
        {
            var response = context.Response;
            response.ContentType = "text/event-stream";
            response.Headers.CacheControl = "no-cache";
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            var tracker = new RouterStatusTracker();
            try
            {
                await response.StartAsync(ct);
                await response.Body.FlushAsync(ct);
                await foreach (var change in stream.ReadAllAsync(ct))
                {
                    foreach (var routerEvent in tracker.Apply(change))
                    {
                        await response.Body.WriteAsync(Encoding.UTF8.GetBytes($"data: {JsonSerializer.Serialize(routerEvent)}\n\n"), ct);
                        await response.Body.FlushAsync(ct);
                    }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // The client or the host went away: the normal end of the stream.
            }
            catch (IOException)
            {
                // The client's connection broke mid-write.
            }
        }
        return Results.Empty;
    }

    public static Task<IResult> CompletionAsync(
        HttpContext context, RunnerAgentClient agent, LeasedSend send, LlamaServerPassthrough passthrough, IOptions<GatewayOptions> options) =>
        RelayPostAsync(context, "/completion", agent, send, passthrough, options.Value);

    public static Task<IResult> TokenizeAsync(
        HttpContext context, RunnerAgentClient agent, LeasedSend send, LlamaServerPassthrough passthrough, IOptions<GatewayOptions> options) =>
        RelayPostAsync(context, "/tokenize", agent, send, passthrough, options.Value);

    public static Task<IResult> DetokenizeAsync(
        HttpContext context, RunnerAgentClient agent, LeasedSend send, LlamaServerPassthrough passthrough, IOptions<GatewayOptions> options) =>
        RelayPostAsync(context, "/detokenize", agent, send, passthrough, options.Value);

    public static Task<IResult> ApplyTemplateAsync(
        HttpContext context, RunnerAgentClient agent, LeasedSend send, LlamaServerPassthrough passthrough, IOptions<GatewayOptions> options) =>
        RelayPostAsync(context, "/apply-template", agent, send, passthrough, options.Value);

    /// <summary>GET /props?model=: that model's properties; without a model, the router's own, as the router answers.</summary>
    public static Task<IResult> PropsAsync(HttpContext context, string? model, RunnerAgentClient agent, RouterGetRelay relay, TimeProvider time) =>
        string.IsNullOrWhiteSpace(model)
            ? Task.FromResult<IResult>(TypedResults.Json(RouterProps.Instance))
            : RelayGetAsync(context, "/props", model, agent, relay, time);

    public static Task<IResult> SlotsAsync(HttpContext context, string? model, RunnerAgentClient agent, RouterGetRelay relay, TimeProvider time) =>
        RelayGetAsync(context, "/slots", model, agent, relay, time);

    public static Task<IResult> MetricsAsync(HttpContext context, string? model, RunnerAgentClient agent, RouterGetRelay relay, TimeProvider time) =>
        RelayGetAsync(context, "/metrics", model, agent, relay, time);

    private static async Task<IResult> RelayPostAsync(
        HttpContext context, string path, RunnerAgentClient agent, LeasedSend send, LlamaServerPassthrough passthrough, GatewayOptions options)
    {
        var ct = context.RequestAborted;
        var (body, error) = await RouterRequests.ReadBodyAsync(context.Request, options, ct);
        if (error is not null) return error;
        var (model, unresolved) = await RouterRequests.ResolveAsync(body!.Model, context.Request, agent, ct);
        if (unresolved is not null) return unresolved;
        var bytes = body.Bytes;
        LeasedCall call;
        try
        {
            call = await send.SendAsync([model!], contextLength: null, keepAlive: null, endpoint => LlamaServerPassthrough.JsonPost(endpoint, path, bytes), ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return Results.Empty;   // the client left before llama-server answered
        }
        using var _ = call;
        if (call.Lease is not { } lease) return RouterErrors.Refused(model!, call.Refusal!);
        await using var held = send.Hold(lease);
        if (call.Response is null) return RouterErrors.Error(HttpStatusCode.BadGateway, $"the server for model '{model}' could not be reached");
        await passthrough.RelayAsync(context, call.Response, lease.Endpoint, new ModelNameRewriter(lease.Model, model!));
        return Results.Empty;
    }

    private static async Task<IResult> RelayGetAsync(
        HttpContext context, string path, string? asked, RunnerAgentClient agent, RouterGetRelay relay, TimeProvider time)
    {
        var ct = context.RequestAborted;
        var (model, unresolved) = await RouterRequests.ResolveAsync(asked, context.Request, agent, ct);
        if (unresolved is not null) return unresolved;
        var (lease, refusal) = await agent.AcquireAsync(model!, contextLength: null, keepAlive: null, ct);
        if (lease is null) return RouterErrors.Refused(model!, refusal!);
        await using var held = new HeldLease(agent, lease, time);
        if (!await relay.RelayAsync(context, lease.Endpoint, path + context.Request.QueryString))
            return RouterErrors.Error(HttpStatusCode.BadGateway, $"the server for model '{model}' could not be reached");
        return Results.Empty;
    }
}
