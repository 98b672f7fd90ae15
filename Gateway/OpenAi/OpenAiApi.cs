using LlamaAspire.Gateway.Listeners;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LlamaAspire.Gateway.OpenAi;

/// <summary>The OpenAI and llama.cpp-router API on its own port (8080 by default). Its routes come with the LM Studio/OpenAI issue.</summary>
public static class OpenAiApi
{
    public static RouteGroupBuilder MapOpenAiApi(this IEndpointRouteBuilder app)
    {
        var openAi = app.MapGroup("").RequireListener(ListenerPorts.OpenAi);
        // "{*path}", not MapFallback's default "{*path:nonfile}", so paths with a dot get this envelope too.
        openAi.MapFallback("{*path}", NotFound).WithName("OpenAi.NotFound");
        return openAi;
    }

    public static NotFound<OpenAiErrorResponse> NotFound(HttpRequest request) =>
        TypedResults.NotFound(new OpenAiErrorResponse(new OpenAiError($"Unknown route: {request.Method} {request.Path}", "invalid_request_error", Code: "not_found")));
}
