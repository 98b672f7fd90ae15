using System.Net;
using System.Net.Http.Json;

namespace LlamaAspire.ServiceDefaults.Http;

/// <summary>Which requests may be sent twice, and which outcomes are worth another try.</summary>
internal static class RetryEligibility
{
    /// <summary>Idempotent per RFC 9110 and with a body that can be serialized again.</summary>
    public static bool CanResend(HttpRequestMessage request) =>
        IsIdempotent(request.Method) && IsReplayable(request.Content);

    public static bool IsIdempotent(HttpMethod method) =>
        method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Options
        || method == HttpMethod.Put || method == HttpMethod.Delete || method == HttpMethod.Trace;

    // Buffered and JSON content serialize from memory every time; a plain stream may already be drained.
    public static bool IsReplayable(HttpContent? content) =>
        content is null or ByteArrayContent or ReadOnlyMemoryContent or JsonContent;

    public static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;
}
