using LlamaAspire.Gateway.Forwarding;

namespace LlamaAspire.Gateway.Anthropic;

/// <summary>
/// The Anthropic Messages API (POST /v1/messages), mapped onto a port's route group. x-api-key and bearer tokens
/// are accepted and not checked.
/// </summary>
public static class AnthropicApi
{
    public static RouteGroupBuilder MapAnthropicMessagesApi(this RouteGroupBuilder group)
    {
        ArgumentNullException.ThrowIfNull(group);
        group.MapPost("/v1/messages", CreateMessageAsync);
        return group;
    }

    public static Task<IResult> CreateMessageAsync(HttpContext context, LlamaChatRelay relay)
    {
        ArgumentNullException.ThrowIfNull(relay);
        return relay.RunAsync(context, new AnthropicDialect());
    }
}
