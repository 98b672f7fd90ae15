using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Features;

namespace LlamaAspire.RunnerAgent;

/// <summary>
/// Writes text/event-stream frames by hand: TypedResults.ServerSentEvents mis-serializes items in .NET 10 RC builds.
/// Every frame is flushed, so a client sees each event as it happens.
/// </summary>
internal static class ServerSentEvents
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>Sends the headers at once, so a client knows it is subscribed before the first event.</summary>
    public static async Task StartAsync(HttpResponse response, CancellationToken ct)
    {
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.HttpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await response.StartAsync(ct);
        await response.Body.FlushAsync(ct);
    }

    public static async Task WriteAsync<T>(HttpResponse response, string eventName, T data, CancellationToken ct)
    {
        var frame = $"event: {eventName}\ndata: {JsonSerializer.Serialize(data, JsonOptions)}\n\n";
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(frame), ct);
        await response.Body.FlushAsync(ct);
    }
}
