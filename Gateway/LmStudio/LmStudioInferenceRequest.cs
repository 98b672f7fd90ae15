using System.Net;
using System.Text.Json;

namespace LlamaAspire.Gateway.LmStudio;

/// <summary>
/// An OpenAI-style body as LM Studio reads it: <c>model</c> (required), <c>ttl</c> (seconds the model stays loaded once idle,
/// which becomes the lease's keep-alive) and whether it names stop strings. The body itself is relayed unchanged.
/// </summary>
public sealed record LmStudioInferenceRequest(string Model, JsonElement? KeepAlive, bool HasStopStrings)
{
    /// <summary>The request, or the LM Studio error to answer instead. Pure.</summary>
    public static (LmStudioInferenceRequest? Request, IResult? Error) Parse(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return (null, LmStudioErrors.Error(HttpStatusCode.BadRequest, "The request body must be a JSON object."));
            var model = root.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            if (string.IsNullOrWhiteSpace(model))
                return (null, LmStudioErrors.Error(HttpStatusCode.BadRequest, "'model' is required: the identifier of a downloaded model.", param: "model"));
            JsonElement? keepAlive = null;
            if (root.TryGetProperty("ttl", out var ttl) && ttl.ValueKind != JsonValueKind.Null)
            {
                if (ttl.ValueKind != JsonValueKind.Number || !ttl.TryGetDouble(out var seconds) || seconds < 0 || seconds != Math.Floor(seconds))
                    return (null, LmStudioErrors.Error(HttpStatusCode.BadRequest, "'ttl' must be a whole number of seconds, 0 or more.", param: "ttl"));
                keepAlive = ttl.Clone();
            }
            return (new LmStudioInferenceRequest(model, keepAlive, LmStudioV0Extras.HasStopStrings(root)), null);
        }
        catch (JsonException)
        {
            return (null, LmStudioErrors.MalformedJson());
        }
    }
}
