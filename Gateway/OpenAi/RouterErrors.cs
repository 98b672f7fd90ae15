using System.Net;
using LlamaAspire.Gateway.Upstream;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LlamaAspire.Gateway.OpenAi;

/// <summary>Refusals on the router routes, worded as llama.cpp's router words them where it has a word for it.</summary>
public static class RouterErrors
{
    public const string MissingModel = "model name is missing from the request";
    public const string BadJson = "the request body is not valid JSON";

    public static JsonHttpResult<RouterErrorResponse> Error(HttpStatusCode status, string message, string? type = null) =>
        TypedResults.Json(new RouterErrorResponse(new RouterError((int)status, message, type ?? TypeFor(status))), statusCode: (int)status);

    public static JsonHttpResult<RouterErrorResponse> BadRequest(string message) => Error(HttpStatusCode.BadRequest, message);

    public static JsonHttpResult<RouterErrorResponse> UnknownModel(string model) => BadRequest($"model '{model}' not found");

    public static JsonHttpResult<RouterErrorResponse> Unavailable(string message) => Error(HttpStatusCode.ServiceUnavailable, message);

    /// <summary>A lease the agent would not grant: unknown model as the router says it, anything else with the agent's reason.</summary>
    public static JsonHttpResult<RouterErrorResponse> Refused(string model, LeaseRefusal refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        return refusal.Status == HttpStatusCode.NotFound ? UnknownModel(model) : Error(refusal.Status, refusal.Message);
    }

    private static string TypeFor(HttpStatusCode status) => status switch
    {
        HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge => "invalid_request_error",
        HttpStatusCode.NotFound => "not_found_error",
        HttpStatusCode.NotImplemented => "not_supported_error",
        HttpStatusCode.ServiceUnavailable => "unavailable_error",
        _ => "server_error",
    };
}
