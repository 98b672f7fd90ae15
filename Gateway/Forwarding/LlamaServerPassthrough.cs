using System.Buffers;
using System.Net.Http.Headers;

namespace LlamaAspire.Gateway.Forwarding;

/// <summary>
/// Relays a leased llama-server's response (sent by <see cref="LeasedSend"/>) back as it comes: each server-sent event
/// is written and flushed on its own, a JSON body is written once complete. The client going away cancels the upstream
/// request at once (llama-server then stops generating); the upstream failing mid-stream aborts the client's
/// connection, so the client sees a broken stream rather than a clean but short one. A chat stream's first chunk gets
/// the assistant role if llama-server left it out (<see cref="AssistantRoleFix"/>).
/// </summary>
public sealed partial class LlamaServerPassthrough(ILogger<LlamaServerPassthrough> logger)
{
    public const string ClientName = "llama-server";
    private const int ReadSize = 16 * 1024;
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();

    /// <summary>A POST of a JSON body, as every llama-server inference call is.</summary>
    public static HttpRequestMessage JsonPost(Uri endpoint, string path, ReadOnlyMemory<byte> body) =>
        new(HttpMethod.Post, new Uri(endpoint, path))
        {
            Content = new ReadOnlyMemoryContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };

    /// <summary>Relays a response already received from the llama-server at <paramref name="endpoint"/>; the caller disposes it.</summary>
    public async Task RelayAsync(HttpContext context, HttpResponseMessage response, Uri endpoint, ModelNameRewriter rewriter)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(rewriter);
        var ct = context.RequestAborted;
        context.Response.StatusCode = (int)response.StatusCode;
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (response.Content.Headers.ContentType is { } contentType) context.Response.ContentType = contentType.ToString();
        if (mediaType == "text/event-stream") context.Response.Headers.CacheControl = "no-cache";
        try
        {
            await using var upstream = await response.Content.ReadAsStreamAsync(ct);
            if (mediaType == "text/event-stream") await RelayEventsAsync(upstream, context.Response, rewriter, ct);
            else await RelayWholeAsync(upstream, context.Response, rewriter, ct);
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

    private static async Task RelayEventsAsync(Stream upstream, HttpResponse response, ModelNameRewriter rewriter, CancellationToken ct)
    {
        await response.StartAsync(ct);
        var pending = new ArrayBufferWriter<byte>(ReadSize);
        var output = new ArrayBufferWriter<byte>(ReadSize);
        var role = new AssistantRoleFix();
        var buffer = ArrayPool<byte>.Shared.Rent(ReadSize);
        try
        {
            int read;
            while ((read = await upstream.ReadAsync(buffer, ct)) > 0)
            {
                pending.Write(buffer.AsSpan(0, read));
                var complete = pending.WrittenSpan.LastIndexOf(EventEnd);
                if (complete < 0) continue;
                var events = complete + EventEnd.Length;
                rewriter.Rewrite(role.Apply(pending.WrittenSpan[..events]), output);
                await response.Body.WriteAsync(output.WrittenMemory, ct);
                await response.Body.FlushAsync(ct);
                output.ResetWrittenCount();
                var rest = pending.WrittenSpan[events..].ToArray();
                pending.ResetWrittenCount();
                pending.Write(rest);
            }
            if (pending.WrittenCount > 0)
            {
                rewriter.Rewrite(role.Apply(pending.WrittenSpan), output);
                await response.Body.WriteAsync(output.WrittenMemory, ct);
                await response.Body.FlushAsync(ct);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task RelayWholeAsync(Stream upstream, HttpResponse response, ModelNameRewriter rewriter, CancellationToken ct)
    {
        using var whole = new MemoryStream();
        await upstream.CopyToAsync(whole, ct);
        var output = new ArrayBufferWriter<byte>((int)whole.Length + 64);
        rewriter.Rewrite(whole.GetBuffer().AsSpan(0, (int)whole.Length), output);
        response.ContentLength = output.WrittenCount;
        await response.Body.WriteAsync(output.WrittenMemory, ct);
    }

    [LoggerMessage(1201, LogLevel.Warning, "The response from llama-server at {Endpoint} broke off; the client's connection is aborted.")]
    private static partial void LogBrokenStream(ILogger logger, Uri endpoint, Exception exception);
}
