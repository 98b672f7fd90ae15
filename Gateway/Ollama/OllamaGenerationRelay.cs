using System.Text.Json;
using LlamaAspire.Gateway.Forwarding;
using LlamaAspire.Gateway.Upstream;

namespace LlamaAspire.Gateway.Ollama;

/// <summary>
/// Runs one chat or generate request: load-only and unload-only requests are answered by the scheduler alone;
/// the rest lease the model, send the translated request to its llama-server, and turn its SSE events into Ollama's
/// NDJSON lines (flushed one by one) or, for "stream": false, into one object. An error after the first byte becomes
/// a final {"error"} line; a client that goes away cancels the generation upstream.
/// </summary>
public sealed partial class OllamaGenerationRelay(OllamaModelLookup lookup, LeasedSend send, TimeProvider time, ILogger<OllamaGenerationRelay> logger)
{
    private const string NdjsonType = "application/x-ndjson";
    private const string JsonType = "application/json; charset=utf-8";
    private const string EndedEarly = "llama-server ended the response early";

    public async Task<IResult> RunAsync(HttpContext context, OllamaGeneration generation)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(generation);
        var ct = context.RequestAborted;
        var started = time.GetTimestamp();
        if (generation.LoadAction == OllamaLoadAction.Unload)
        {
            if (OllamaModelNames.Normalize(generation.Model) is null) return OllamaUpstream.Answer(OllamaErrors.BadRequest(OllamaModelNames.InvalidName));
            await OllamaUpstream.UnloadAsync(lookup, generation.Model, ct);
            return Answer(generation, OllamaLoadAction.Unload);
        }

        if (generation.LoadAction == OllamaLoadAction.Load)
        {
            var (lease, error) = await OllamaUpstream.AcquireAsync(lookup, generation.Model, generation.Options.NumCtx, generation.KeepAlive, ct);
            if (lease is null) return OllamaUpstream.Answer(error!);
            await using var _ = send.Hold(lease);
            return Answer(generation, OllamaLoadAction.Load);
        }

        var call = generation.Translate();
        LeasedCall? leased;
        OllamaError? refusal;
        try
        {
            (leased, refusal) = await OllamaUpstream.SendAsync(lookup, send, generation.Model, generation.Options.NumCtx, generation.KeepAlive, call.ToRequest, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return Results.Empty;   // the client left before llama-server answered
        }
        if (leased is null) return OllamaUpstream.Answer(refusal!);
        using (leased)
        {
            await using var held = send.Hold(leased.Lease!);
            if (leased.Response is not { } response)
                return OllamaRequest.Error(StatusCodes.Status500InternalServerError,
                    $"the server for model \"{generation.Model}\" could not be reached: {leased.Unreachable?.Message}");
            if (!response.IsSuccessStatusCode)
                return OllamaUpstream.Answer(OllamaErrors.FromLlamaServer((int)response.StatusCode, await response.Content.ReadAsByteArrayAsync(ct)));
            var translator = new OllamaAnswerTranslator(generation.Kind, generation.Model, aggregate: !generation.Streams, time);
            return generation.Streams
                ? await StreamAsync(context, response, translator, started, leased.LeaseWait)
                : await AggregateAsync(response, translator, started, leased.LeaseWait, ct);
        }
    }

    private IResult Answer(OllamaGeneration generation, OllamaLoadAction action) => Results.Bytes(
        generation.Kind == OllamaAnswerKind.Chat
            ? OllamaLoadRequests.ChatAnswer(generation.Model, action, time)
            : OllamaLoadRequests.GenerateAnswer(generation.Model, action, time),
        JsonType);

    private async Task<IResult> StreamAsync(HttpContext context, HttpResponseMessage response, OllamaAnswerTranslator translator, long started, TimeSpan load)
    {
        var ct = context.RequestAborted;
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = NdjsonType;
        await context.Response.StartAsync(ct);
        try
        {
            await foreach (var payload in LlamaServerEvents.ReadAsync(response, ct))
            {
                foreach (var line in translator.Push(payload)) await context.Response.Body.WriteAsync(line, ct);
                await context.Response.Body.FlushAsync(ct);
                if (translator.IsComplete || translator.ErrorMessage is not null) break;
            }
            if (translator.IsComplete) await context.Response.Body.WriteAsync(translator.Finish(time.GetElapsedTime(started), load), ct);
            else if (translator.ErrorMessage is null) await context.Response.Body.WriteAsync(OllamaErrors.StreamLine(EndedEarly), ct);
            await context.Response.Body.FlushAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client left; disposing the upstream response stops the generation.
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            LogBroken(logger, e);
            await context.Response.Body.WriteAsync(OllamaErrors.StreamLine($"{EndedEarly}: {e.Message}"), ct);
        }
        return Results.Empty;
    }

    private async Task<IResult> AggregateAsync(HttpResponseMessage response, OllamaAnswerTranslator translator, long started, TimeSpan load, CancellationToken ct)
    {
        try
        {
            await foreach (var payload in LlamaServerEvents.ReadAsync(response, ct))
            {
                translator.Push(payload);
                if (translator.IsComplete || translator.ErrorMessage is not null) break;
            }
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            LogBroken(logger, e);
            return OllamaRequest.Error(StatusCodes.Status500InternalServerError, $"{EndedEarly}: {e.Message}");
        }
        if (translator.Error is { } error) return OllamaUpstream.Answer(error);
        if (!translator.IsComplete) return OllamaRequest.Error(StatusCodes.Status500InternalServerError, EndedEarly);
        return Results.Bytes(translator.Finish(time.GetElapsedTime(started), load), JsonType);
    }

    [LoggerMessage(1301, LogLevel.Warning, "llama-server's answer broke off.")]
    private static partial void LogBroken(ILogger logger, Exception exception);
}
