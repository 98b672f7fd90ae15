using System.Net;
using System.Security.Cryptography;
using LlamaAspire.Gateway.Forwarding;
using LlamaAspire.Gateway.Upstream;

namespace LlamaAspire.Gateway.Anthropic;

/// <summary>The Anthropic Messages API as a <see cref="IChatDialect"/>: errors as {"type":"error","error":{"type","message"}}.</summary>
public sealed class AnthropicDialect : IChatDialect
{
    public ChatTranslation Translate(ReadOnlyMemory<byte> body) => AnthropicRequestTranslator.Translate(body);

    public IResult Refuse(int status, string message, string? param = null) => AnthropicErrors.Result(status, message);

    public IResult Refused(string model, LeaseRefusal refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        return refusal.Status == HttpStatusCode.NotFound
            ? AnthropicErrors.Result(StatusCodes.Status404NotFound, $"model: {model}")
            : AnthropicErrors.Result((int)refusal.Status, refusal.Message);
    }

    public IChatAnswerTranslator Answer(ChatRequest request) => new AnthropicAnswerTranslator(request, NewId);

    /// <summary>Anthropic's form: a prefix, "_01", and 22 base62 characters.</summary>
    public static string NewId(string prefix) =>
        $"{prefix}_01{RandomNumberGenerator.GetString("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", 22)}";
}
