using System.Net;
using LlamaAspire.Gateway.Upstream;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LlamaAspire.Gateway.LmStudio;

/// <summary>LM Studio's error answers: the OpenAI-style envelope its inference and REST routes use, in its own wording.</summary>
public static class LmStudioErrors
{
    public const string InvalidRequest = "invalid_request_error";
    public const string ModelNotFound = "model_not_found";

    public static JsonHttpResult<LmStudioErrorEnvelope> Error(HttpStatusCode status, string message, string type = InvalidRequest, string? param = null, string? code = null) =>
        TypedResults.Json(new LmStudioErrorEnvelope(new LmStudioErrorBody(message, type, param, code)), statusCode: (int)status);

    /// <summary>LM Studio's answer to a model it does not have: 400, naming a few it has.</summary>
    public static JsonHttpResult<LmStudioErrorEnvelope> InvalidModel(string model, IReadOnlyList<string> known) =>
        Error(HttpStatusCode.BadRequest, InvalidModelMessage(model, known), param: "model", code: ModelNotFound);

    public static string InvalidModelMessage(string model, IReadOnlyList<string> known)
    {
        ArgumentNullException.ThrowIfNull(known);
        var examples = known.Count == 0 ? "" : $" (e.g., {string.Join(", ", known.Take(3))})";
        return $"Invalid model identifier \"{model}\". Please specify a valid downloaded model{examples}.";
    }

    public static JsonHttpResult<LmStudioErrorEnvelope> MalformedJson() =>
        Error(HttpStatusCode.BadRequest, "The request body is not valid JSON.");

    public static JsonHttpResult<LmStudioErrorEnvelope> TooLarge(long limit) =>
        Error(HttpStatusCode.RequestEntityTooLarge, $"The request body exceeds the limit of {limit} bytes.", code: "request_too_large");

    /// <summary>A lease refusal other than an unknown model: bad names stay 400; busy, never fits and load failures keep the agent's status.</summary>
    public static JsonHttpResult<LmStudioErrorEnvelope> Refused(LeaseRefusal refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        return refusal.Status == HttpStatusCode.BadRequest
            ? Error(HttpStatusCode.BadRequest, refusal.Message, param: "model")
            : Error(refusal.Status, refusal.Message, "server_error", code: refusal.Code);
    }

    public static JsonHttpResult<LmStudioErrorEnvelope> Unreachable(string model) =>
        Error(HttpStatusCode.BadGateway, $"The server for model \"{model}\" could not be reached.", "server_error");
}
