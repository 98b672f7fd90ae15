using System.Text.Json;
using LlamaAspire.Gateway.Forwarding;

namespace LlamaAspire.Gateway.Ollama;

/// <summary>Reads an Ollama JSON request body, or the Ollama error for one that is missing, too large or not JSON.</summary>
public static class OllamaRequest
{
    public const string MissingBody = "missing request body";

    public static async Task<(T? Body, IResult? Error)> ReadAsync<T>(HttpRequest request, long limit, CancellationToken ct) where T : class
    {
        var (bytes, error) = await ReadBytesAsync(request, limit, ct);
        if (error is not null) return (null, error);
        try
        {
            return JsonSerializer.Deserialize<T>(bytes.Span, JsonSerializerOptions.Web) is { } parsed
                ? (parsed, null)
                : (null, Error(StatusCodes.Status400BadRequest, MissingBody));
        }
        catch (JsonException e)
        {
            return (null, Error(StatusCodes.Status400BadRequest, $"invalid JSON in request body: {e.Message}"));
        }
    }

    /// <summary>The raw body, or Ollama's 413 (over <paramref name="limit"/>) or 400 (empty).</summary>
    public static async Task<(ReadOnlyMemory<byte> Bytes, IResult? Error)> ReadBytesAsync(HttpRequest request, long limit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = await RequestBody.ReadAsync(request, limit, ct);
        if (body.TooLarge) return (default, Error(StatusCodes.Status413PayloadTooLarge, $"request body is larger than {limit} bytes"));
        if (body.Bytes.IsEmpty) return (default, Error(StatusCodes.Status400BadRequest, MissingBody));
        return (body.Bytes, null);
    }

    public static IResult Error(int status, string message) => TypedResults.Json(new OllamaErrorResponse(message), statusCode: status);
}
