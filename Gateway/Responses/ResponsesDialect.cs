using System.Net;
using System.Security.Cryptography;
using LlamaAspire.Gateway.Forwarding;
using LlamaAspire.Gateway.OpenAi;
using LlamaAspire.Gateway.Upstream;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LlamaAspire.Gateway.Responses;

/// <summary>The OpenAI Responses API as a <see cref="IChatDialect"/>: errors in OpenAI's envelope, conversations kept in <see cref="ResponsesStore"/>.</summary>
public sealed class ResponsesDialect(ResponsesStore store, TimeProvider time) : IChatDialect
{
    public ChatTranslation Translate(ReadOnlyMemory<byte> body) => ResponsesRequestTranslator.Translate(body, store.Find);

    public IResult Refuse(int status, string message, string? param = null) => Envelope(status, message, param);

    public IResult Refused(string model, LeaseRefusal refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        return refusal.Status switch
        {
            HttpStatusCode.NotFound => Envelope(StatusCodes.Status404NotFound, $"The model `{model}` does not exist or you do not have access to it.", "model", "model_not_found"),
            HttpStatusCode.BadRequest => Envelope(StatusCodes.Status400BadRequest, refusal.Message, "model"),
            _ => Envelope((int)refusal.Status, refusal.Message, code: refusal.Code),
        };
    }

    public IChatAnswerTranslator Answer(ChatRequest request) => new ResponsesAnswerTranslator(request, NewId, time.GetUtcNow(), store.Save);

    /// <summary>OpenAI's form: a prefix, "_", and 48 lowercase hex digits.</summary>
    public static string NewId(string prefix) => $"{prefix}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24))}";

    private static JsonHttpResult<OpenAiErrorResponse> Envelope(int status, string message, string? param = null, string? code = null)
    {
        var type = status switch
        {
            >= 500 => "server_error",
            StatusCodes.Status404NotFound when param is null => "not_found_error",
            _ => "invalid_request_error",
        };
        code ??= status == StatusCodes.Status413RequestEntityTooLarge ? "request_too_large" : null;
        return TypedResults.Json(new OpenAiErrorResponse(new OpenAiError(message, type, param, code)), statusCode: status);
    }
}
