using System.Text.Json.Serialization;

namespace LlamaAspire.Gateway.Anthropic;

/// <summary>Anthropic's error body: {"type":"error","error":{"type","message"}}, the type named by the status.</summary>
public static class AnthropicErrors
{
    public static IResult Result(int status, string message) =>
        TypedResults.Json(new AnthropicErrorResponse(new AnthropicError(TypeFor(status), message)), statusCode: status);

    public static string TypeFor(int status) => status switch
    {
        StatusCodes.Status401Unauthorized => "authentication_error",
        StatusCodes.Status403Forbidden => "permission_error",
        StatusCodes.Status404NotFound => "not_found_error",
        StatusCodes.Status413RequestEntityTooLarge => "request_too_large",
        StatusCodes.Status429TooManyRequests => "rate_limit_error",
        StatusCodes.Status503ServiceUnavailable or 529 => "overloaded_error",
        >= 500 => "api_error",
        _ => "invalid_request_error",
    };
}

public sealed record AnthropicErrorResponse([property: JsonPropertyName("error")] AnthropicError Error)
{
    [JsonPropertyName("type")]
    public string Type => "error";
}

public sealed record AnthropicError([property: JsonPropertyName("type")] string Type, [property: JsonPropertyName("message")] string Message);
