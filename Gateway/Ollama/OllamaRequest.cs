using System.Text.Json;
using LlamaAspire.Gateway.Forwarding;

namespace LlamaAspire.Gateway.Ollama;

/// <summary>Reads an Ollama JSON request body, or the Ollama error for one that is missing, too large or not JSON.</summary>
public static class OllamaRequest
{
    public const string MissingBody = "missing request body";

    public static async Task<(T? Body, IResult? Error)> ReadAsync<T>(HttpRequest request, long limit, CancellationToken ct) where T : class
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = await RequestBody.ReadAsync(request, limit, ct);
        if (body.TooLarge) return (null, Error(StatusCodes.Status413PayloadTooLarge, $"request body is larger than {limit} bytes"));
        if (body.Bytes.IsEmpty) return (null, Error(StatusCodes.Status400BadRequest, MissingBody));
        try
        {
            return JsonSerializer.Deserialize<T>(body.Bytes.Span, JsonSerializerOptions.Web) is { } parsed
                ? (parsed, null)
                : (null, Error(StatusCodes.Status400BadRequest, MissingBody));
        }
        catch (JsonException e)
        {
            return (null, Error(StatusCodes.Status400BadRequest, $"invalid JSON in request body: {e.Message}"));
        }
    }

    public static IResult Error(int status, string message) => TypedResults.Json(new OllamaErrorResponse(message), statusCode: status);
}
