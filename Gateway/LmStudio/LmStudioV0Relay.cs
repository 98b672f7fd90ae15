using System.Buffers;
using LlamaAspire.Gateway.Forwarding;

namespace LlamaAspire.Gateway.LmStudio;

/// <summary>
/// Relays a REST v0 request to a leased llama-server as <see cref="LlamaServerPassthrough"/> does (each event flushed on its
/// own, the client leaving cancels upstream, a broken upstream aborts the client), through a <see cref="LmStudioV0Translator"/>.
/// </summary>
public sealed partial class LmStudioV0Relay(ILogger<LmStudioV0Relay> logger)
{
    private const int ReadSize = 16 * 1024;
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();

    /// <summary>Relays llama-server's <paramref name="response"/> (from <paramref name="endpoint"/>) with LM Studio's v0 extras; the caller disposes it.</summary>
    public async Task RelayAsync(
        HttpContext context, HttpResponseMessage response, Uri endpoint, ModelNameRewriter rewriter, LmStudioInferenceRequest request,
        Func<Task<(LmStudioV0ModelInfo ModelInfo, LmStudioV0Runtime Runtime)>> extras)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(extras);
        var ct = context.RequestAborted;
        {
            var translator = new LmStudioV0Translator(request.Model, rewriter, request.HasStopStrings);
            context.Response.StatusCode = (int)response.StatusCode;
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            if (response.Content.Headers.ContentType is { } contentType) context.Response.ContentType = contentType.ToString();
            try
            {
                await using var upstream = await response.Content.ReadAsStreamAsync(ct);
                if (mediaType == "text/event-stream")
                {
                    context.Response.Headers.CacheControl = "no-cache";
                    await RelayEventsAsync(upstream, context.Response, translator, extras, ct);
                }
                else
                {
                    using var whole = new MemoryStream();
                    await upstream.CopyToAsync(whole, ct);
                    byte[] translated;
                    if (response.IsSuccessStatusCode)
                    {
                        var (modelInfo, runtime) = await extras();
                        translated = translator.TranslateWhole(whole.GetBuffer().AsSpan(0, (int)whole.Length), modelInfo, runtime);
                    }
                    else
                    {
                        translated = Renamed(whole.GetBuffer().AsSpan(0, (int)whole.Length), rewriter);   // llama-server's own error, as /v1 relays it
                    }
                    context.Response.ContentLength = translated.Length;
                    await context.Response.Body.WriteAsync(translated, ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // The client went away; disposing the response closes the upstream connection, which stops the generation.
            }
            catch (Exception e) when (e is IOException or HttpRequestException)
            {
                LogBrokenStream(logger, endpoint, e);
                context.Abort();
            }
        }
    }

    private static async Task RelayEventsAsync(
        Stream upstream, HttpResponse response, LmStudioV0Translator translator,
        Func<Task<(LmStudioV0ModelInfo ModelInfo, LmStudioV0Runtime Runtime)>> extras, CancellationToken ct)
    {
        await response.StartAsync(ct);
        var pending = new ArrayBufferWriter<byte>(ReadSize);
        var output = new ArrayBufferWriter<byte>(ReadSize);
        var buffer = ArrayPool<byte>.Shared.Rent(ReadSize);
        (LmStudioV0ModelInfo ModelInfo, LmStudioV0Runtime Runtime)? ready = null;
        try
        {
            int read;
            while ((read = await upstream.ReadAsync(buffer, ct)) > 0)
            {
                pending.Write(buffer.AsSpan(0, read));
                var consumed = 0;
                int end;
                while ((end = pending.WrittenSpan[consumed..].IndexOf(EventEnd)) >= 0)
                {
                    var length = end;
                    if (LmStudioV0Translator.NeedsExtras(pending.WrittenSpan.Slice(consumed, length))) ready ??= await extras();
                    translator.TranslateEvent(pending.WrittenSpan.Slice(consumed, length), output, ready?.ModelInfo, ready?.Runtime);
                    consumed += length + EventEnd.Length;
                }
                if (output.WrittenCount > 0)
                {
                    await response.Body.WriteAsync(output.WrittenMemory, ct);
                    await response.Body.FlushAsync(ct);
                    output.ResetWrittenCount();
                }
                var rest = pending.WrittenSpan[consumed..].ToArray();
                pending.ResetWrittenCount();
                pending.Write(rest);
            }
            if (pending.WrittenCount > 0)
            {
                await response.Body.WriteAsync(pending.WrittenMemory, ct);
                await response.Body.FlushAsync(ct);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static byte[] Renamed(ReadOnlySpan<byte> body, ModelNameRewriter rewriter)
    {
        var output = new ArrayBufferWriter<byte>(body.Length + 64);
        rewriter.Rewrite(body, output);
        return output.WrittenSpan.ToArray();
    }

    [LoggerMessage(1402, LogLevel.Warning, "The response from llama-server at {Endpoint} broke off; the LM Studio client's connection is aborted.")]
    private static partial void LogBrokenStream(ILogger logger, Uri endpoint, Exception exception);
}
