using LlamaAspire.Gateway.Listeners;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace LlamaAspire.Gateway.Ollama;

/// <summary>
/// CORS on the Ollama port only, as Ollama's gin-contrib/cors setup answers: an allowed origin is echoed back; a preflight
/// from one gets 204 with the methods and headers; a preflight from any other origin gets 403 with no CORS headers (gin
/// aborts it so), while its other requests go through without CORS headers, so the browser withholds the answer.
/// </summary>
public sealed class OllamaCorsMiddleware(RequestDelegate next, ListenerPorts ports, IOptions<OllamaOptions> options)
{
    public const string AllowedMethods = "GET,POST,PUT,PATCH,DELETE,HEAD,OPTIONS";

    /// <summary>Ollama's list: the OpenAI SDKs send the x-stainless-* headers from browsers.</summary>
    public const string AllowedHeaders =
        "Authorization,Content-Type,User-Agent,Accept,X-Requested-With,OpenAI-Beta,x-stainless-arch,x-stainless-async,"
        + "x-stainless-custom-poll-interval,x-stainless-helper-method,x-stainless-lang,x-stainless-os,x-stainless-package-version,"
        + "x-stainless-poll-helper,x-stainless-retry-count,x-stainless-runtime,x-stainless-runtime-version,x-stainless-timeout";

    /// <summary>gin-contrib/cors' default: 12 hours.</summary>
    private const string MaxAgeSeconds = "43200";

    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Connection.LocalPort != ports.PortOf(ListenerPorts.Ollama)) return next(context);
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length == 0) return next(context);

        var allowed = OllamaOrigins.IsAllowed(origin, options.Value.AllowedOrigins);
        var headers = context.Response.Headers;
        headers.Append(HeaderNames.Vary, HeaderNames.Origin);
        var preflight = HttpMethods.IsOptions(context.Request.Method) && context.Request.Headers.ContainsKey(HeaderNames.AccessControlRequestMethod);
        if (!allowed)
        {
            if (!preflight) return next(context);
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return Task.CompletedTask;
        }

        headers.AccessControlAllowOrigin = origin;
        if (!preflight) return next(context);
        headers.AccessControlAllowMethods = AllowedMethods;
        headers.AccessControlAllowHeaders = AllowedHeaders;
        headers.AccessControlMaxAge = MaxAgeSeconds;
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }
}
