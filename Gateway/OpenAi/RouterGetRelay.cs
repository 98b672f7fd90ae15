using LlamaAspire.Gateway.Forwarding;

namespace LlamaAspire.Gateway.OpenAi;

/// <summary>
/// Relays a GET (/props, /slots, /metrics) to a leased llama-server and its answer back as it comes, status and
/// content type included. The client going away cancels the upstream request.
/// </summary>
public sealed partial class RouterGetRelay(IHttpClientFactory clients, ILogger<RouterGetRelay> logger)
{
    /// <summary>False when llama-server could not be reached; nothing was written then.</summary>
    public async Task<bool> RelayAsync(HttpContext context, Uri endpoint, string pathAndQuery)
    {
        ArgumentNullException.ThrowIfNull(context);
        var ct = context.RequestAborted;
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(endpoint, pathAndQuery));
        HttpResponseMessage response;
        try
        {
            response = await clients.CreateClient(LlamaServerPassthrough.ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (HttpRequestException e)
        {
            LogUnreachable(logger, endpoint, e);
            return false;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return true;
        }

        using (response)
        {
            context.Response.StatusCode = (int)response.StatusCode;
            if (response.Content.Headers.ContentType is { } contentType) context.Response.ContentType = contentType.ToString();
            if (response.Content.Headers.ContentLength is { } length) context.Response.ContentLength = length;
            try
            {
                await using var upstream = await response.Content.ReadAsStreamAsync(ct);
                await upstream.CopyToAsync(context.Response.Body, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // The client went away; disposing the response closes the upstream connection.
            }
            catch (Exception e) when (e is IOException or HttpRequestException)
            {
                LogBroken(logger, endpoint, e);
                context.Abort();
            }
        }
        return true;
    }

    [LoggerMessage(1400, LogLevel.Warning, "llama-server at {Endpoint} could not be reached.")]
    private static partial void LogUnreachable(ILogger logger, Uri endpoint, Exception exception);

    [LoggerMessage(1401, LogLevel.Warning, "The response from llama-server at {Endpoint} broke off; the client's connection is aborted.")]
    private static partial void LogBroken(ILogger logger, Uri endpoint, Exception exception);
}
