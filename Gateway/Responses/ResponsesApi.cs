using LlamaAspire.Gateway.Forwarding;

namespace LlamaAspire.Gateway.Responses;

/// <summary>The OpenAI Responses API (POST /v1/responses), mapped onto a port's route group.</summary>
public static class ResponsesApi
{
    public static RouteGroupBuilder MapResponsesApi(this RouteGroupBuilder group)
    {
        ArgumentNullException.ThrowIfNull(group);
        group.MapPost("/v1/responses", CreateResponseAsync);
        return group;
    }

    public static Task<IResult> CreateResponseAsync(HttpContext context, LlamaChatRelay relay, ResponsesStore store, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(relay);
        return relay.RunAsync(context, new ResponsesDialect(store, time));
    }
}
