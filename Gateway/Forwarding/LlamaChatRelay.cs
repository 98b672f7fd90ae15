using System.Text;
using System.Text.Json;
using LlamaAspire.Gateway.Ollama;
using LlamaAspire.Gateway.Upstream;
using Microsoft.Extensions.Options;

namespace LlamaAspire.Gateway.Forwarding;

/// <summary>
/// Serves one request of a translated dialect (Responses, Anthropic Messages, LM Studio's v1 chat): reads and
/// translates the body, leases the model, sends llama-server the chat request (always streamed), and writes the
/// dialect's answer: its events, flushed as each llama-server chunk arrives, or one JSON body. The client going away
/// cancels the upstream request.
/// </summary>
public sealed partial class LlamaChatRelay(LeasedSend send, IOptions<GatewayOptions> options, ILogger<LlamaChatRelay> logger)
{
    private const string EndedEarly = "llama-server ended the response early";

    public async Task<IResult> RunAsync(HttpContext context, IChatDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(dialect);
        var ct = context.RequestAborted;
        var limit = options.Value.MaxRequestBodyBytes;
        var body = await RequestBody.ReadAsync(context.Request, limit, ct);
        if (body.TooLarge) return dialect.Refuse(StatusCodes.Status413RequestEntityTooLarge, $"The request body exceeds the limit of {limit} bytes.");
        var translation = dialect.Translate(body.Bytes);
        if (translation.Request is not { } chat) return dialect.Refuse(translation.Status, translation.Message!, translation.Param);

        var looking = dialect.OnLeasingAsync(chat, ct);
        // llama-server serves one model and ignores the body's "model"; the client's name is as good as the catalog id.
        chat.Body["model"] = chat.Model;
        LeasedCall call;
        try
        {
            call = await send.SendAsync([chat.Model], chat.ContextLength, keepAlive: null,
                endpoint => new LlamaServerCall(LlamaServerCall.ChatCompletionsPath, chat.Body).ToRequest(endpoint), ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return Results.Empty;   // the client left before llama-server answered
        }
        finally
        {
            await looking.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        using var _ = call;
        if (call.Lease is not { } lease) return dialect.Refused(chat.Model, call.Refusal!);
        context.Response.Headers["Server-Timing"] = call.ServerTiming;
        await using var held = send.Hold(lease);
        if (call.Response is not { } response)
            return dialect.Refuse(StatusCodes.Status502BadGateway, $"The server for model '{chat.Model}' could not be reached.");
        if (!response.IsSuccessStatusCode)
        {
            var (status, message) = UpstreamError((int)response.StatusCode, await response.Content.ReadAsByteArrayAsync(ct));
            return dialect.Refuse(status, message);
        }
        var answer = dialect.Answer(chat, new ChatLease(lease.Model, call.LeaseWait));
        return chat.Stream ? await StreamAsync(context, response, answer) : await AggregateAsync(response, answer, dialect, ct);
    }

    private async Task<IResult> StreamAsync(HttpContext context, HttpResponseMessage response, IChatAnswerTranslator answer)
    {
        var ct = context.RequestAborted;
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        try
        {
            await WriteAsync(context.Response, answer.Start(), ct);
            await foreach (var payload in LlamaServerEvents.ReadAsync(response, ct))
            {
                await WriteAsync(context.Response, answer.Push(payload), ct);
                if (answer.IsLast) break;
            }
            var closing = answer.ErrorMessage is { } error ? answer.Fail(error)
                : answer.IsComplete ? answer.Finish()
                : answer.Fail(EndedEarly);
            await WriteAsync(context.Response, closing, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client left; disposing the upstream response stops the generation.
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            LogBroken(logger, e);
            try
            {
                await WriteAsync(context.Response, answer.Fail($"{EndedEarly}: {e.Message}"), ct);
            }
            catch (Exception again) when (again is IOException or OperationCanceledException)
            {
                // The client is gone too: nobody is left to tell.
            }
        }
        return Results.Empty;
    }

    private async Task<IResult> AggregateAsync(HttpResponseMessage response, IChatAnswerTranslator answer, IChatDialect dialect, CancellationToken ct)
    {
        try
        {
            await foreach (var payload in LlamaServerEvents.ReadAsync(response, ct))
            {
                answer.Push(payload);
                if (answer.IsLast) break;
            }
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            LogBroken(logger, e);
            return dialect.Refuse(StatusCodes.Status502BadGateway, $"{EndedEarly}: {e.Message}");
        }
        if (answer.ErrorMessage is { } error) return dialect.Refuse(answer.ErrorStatus is >= 400 and < 600 and var s ? s : StatusCodes.Status502BadGateway, error);
        if (!answer.IsComplete) return dialect.Refuse(StatusCodes.Status502BadGateway, EndedEarly);
        return Results.Bytes(answer.Aggregate(), "application/json");
    }

    /// <summary>Each event written and flushed on its own: a client sees every event the moment it is due.</summary>
    private static async Task WriteAsync(HttpResponse response, IReadOnlyList<byte[]> events, CancellationToken ct)
    {
        foreach (var e in events)
        {
            await response.Body.WriteAsync(e, ct);
            await response.Body.FlushAsync(ct);
        }
    }

    /// <summary>llama-server's refusal (its {"error":{"message"}} or plain text) with its status; its own 500 shows as a bad gateway.</summary>
    internal static (int Status, string Message) UpstreamError(int status, byte[] body)
    {
        string? message = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out var error))
                message = error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()
                    : error.ValueKind == JsonValueKind.String ? error.GetString() : null;
        }
        catch (JsonException)
        {
            message = Encoding.UTF8.GetString(body).Trim();
        }
        return (status == StatusCodes.Status500InternalServerError ? StatusCodes.Status502BadGateway : status, string.IsNullOrEmpty(message) ? $"llama-server answered {status}" : message);
    }

    [LoggerMessage(1501, LogLevel.Warning, "llama-server's answer broke off.")]
    private static partial void LogBroken(ILogger logger, Exception exception);
}
