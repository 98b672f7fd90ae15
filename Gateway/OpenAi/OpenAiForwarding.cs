using System.Net;
using System.Text.Json;
using LlamaAspire.Gateway.Forwarding;
using LlamaAspire.Gateway.Upstream;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LlamaAspire.Gateway.OpenAi;

/// <summary>
/// An OpenAI-compatible inference request: read and check the body, lease the model it names, relay the unchanged
/// body to llama-server and its answer back with the model named as the client named it. Every refusal is an
/// OpenAI error envelope.
/// </summary>
public static class OpenAiForwarding
{

    /// <param name="candidates">The catalog ids the client's model name may stand for, tried in order (Ollama's ":latest"
    /// names); by default the name itself.</param>
    public static async Task<IResult> ForwardAsync(
        HttpContext context, string upstreamPath, LeasedSend send, LlamaServerPassthrough passthrough, GatewayOptions options,
        Func<string, IEnumerable<string>>? candidates = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(send);
        ArgumentNullException.ThrowIfNull(passthrough);
        ArgumentNullException.ThrowIfNull(options);
        var ct = context.RequestAborted;
        var body = await RequestBody.ReadAsync(context.Request, options.MaxRequestBodyBytes, ct);
        if (body.TooLarge) return Error(HttpStatusCode.RequestEntityTooLarge, $"The request body exceeds the limit of {options.MaxRequestBodyBytes} bytes.", "invalid_request_error", "request_too_large");

        string? model;
        try
        {
            using var document = JsonDocument.Parse(body.Bytes);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                return Error(HttpStatusCode.BadRequest, "The request body must be a JSON object.", "invalid_request_error");
            model = document.RootElement.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        }
        catch (JsonException)
        {
            return Error(HttpStatusCode.BadRequest,
                "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly.)", "invalid_request_error");
        }
        if (string.IsNullOrWhiteSpace(model)) return Error(HttpStatusCode.BadRequest, "you must provide a model parameter", "invalid_request_error", param: "model");

        var bytes = body.Bytes;
        LeasedCall call;
        try
        {
            call = await send.SendAsync(
                [.. candidates?.Invoke(model) ?? [model]], contextLength: null, keepAlive: null,
                endpoint => LlamaServerPassthrough.JsonPost(endpoint, upstreamPath, bytes), ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return Results.Empty;   // the client left before llama-server answered
        }
        using var _ = call;
        if (call.Lease is not { } lease) return Refused(model, call.Refusal!);
        // Waiting for the model (queue, load) shows apart from generation, for clients and traces alike.
        context.Response.Headers["Server-Timing"] = call.ServerTiming;
        await using var held = send.Hold(lease);
        if (call.Response is null)
            return Error(HttpStatusCode.BadGateway, $"The server for model '{model}' could not be reached.", "server_error");
        if (UnsupportedRoute.IsUnsupported(call.Response))
            return Error(HttpStatusCode.BadRequest, UnsupportedRoute.Message(model, upstreamPath), "invalid_request_error", "model_not_supported", "model");
        await passthrough.RelayAsync(context, call.Response, lease.Endpoint, new ModelNameRewriter(lease.Model, model));
        return Results.Empty;
    }

    private static JsonHttpResult<OpenAiErrorResponse> Refused(string model, LeaseRefusal refusal) => refusal.Status switch
    {
        HttpStatusCode.NotFound => Error(HttpStatusCode.NotFound, $"The model `{model}` does not exist or you do not have access to it.", "invalid_request_error", "model_not_found", "model"),
        HttpStatusCode.BadRequest => Error(HttpStatusCode.BadRequest, refusal.Message, "invalid_request_error", param: "model"),
        _ => Error(refusal.Status, refusal.Message, "server_error", refusal.Code),
    };

    private static JsonHttpResult<OpenAiErrorResponse> Error(HttpStatusCode status, string message, string type, string? code = null, string? param = null) =>
        TypedResults.Json(new OpenAiErrorResponse(new OpenAiError(message, type, param, code)), statusCode: (int)status);
}
