using System.Text.Json;

namespace LlamaAspire.Gateway.Ollama;

/// <summary>A finished NDJSON stream: one JSON object per line, each ending in "\n", nothing else (protocols.md §6.2).</summary>
public sealed class OllamaNdjsonResult(IReadOnlyList<object> lines) : IResult
{
    public const string ContentType = "application/x-ndjson";

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Response.ContentType = ContentType;
        foreach (var line in lines)
        {
            await httpContext.Response.Body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(line, line.GetType()), httpContext.RequestAborted);
            await httpContext.Response.Body.WriteAsync("\n"u8.ToArray(), httpContext.RequestAborted);
            await httpContext.Response.Body.FlushAsync(httpContext.RequestAborted);
        }
    }
}
