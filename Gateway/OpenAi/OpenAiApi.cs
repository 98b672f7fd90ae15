using LlamaAspire.Gateway.Anthropic;
using LlamaAspire.Gateway.Forwarding;
using LlamaAspire.Gateway.Listeners;
using LlamaAspire.Gateway.Responses;
using LlamaAspire.Gateway.Upstream;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace LlamaAspire.Gateway.OpenAi;

/// <summary>The OpenAI and llama.cpp-router API on its own port (8080 by default): OpenAI inference relayed to llama-server, and llama.cpp's router routes (<see cref="RouterApi"/>).</summary>
public static class OpenAiApi
{
    public static RouteGroupBuilder MapOpenAiApi(this IEndpointRouteBuilder app)
    {
        var openAi = app.MapGroup("").RequireListener(ListenerPorts.OpenAi);
        openAi.MapPost("/v1/chat/completions", ChatCompletionsAsync).WithName("OpenAi.ChatCompletions");
        openAi.MapPost("/v1/completions", CompletionsAsync).WithName("OpenAi.Completions");
        openAi.MapPost("/v1/embeddings", EmbeddingsAsync).WithName("OpenAi.Embeddings");
        openAi.MapRouterApi();
        openAi.MapResponsesApi();
        openAi.MapAnthropicMessagesApi();
        // "{*path}", not MapFallback's default "{*path:nonfile}", so paths with a dot get this envelope too.
        openAi.MapFallback("{*path}", NotFound).WithName("OpenAi.NotFound");
        return openAi;
    }

    public static Task<IResult> ChatCompletionsAsync(
        HttpContext context, LeasedSend send, LlamaServerPassthrough passthrough, IOptions<GatewayOptions> options) =>
        OpenAiForwarding.ForwardAsync(context, "/v1/chat/completions", send, passthrough, options.Value);

    public static Task<IResult> CompletionsAsync(
        HttpContext context, LeasedSend send, LlamaServerPassthrough passthrough, IOptions<GatewayOptions> options) =>
        OpenAiForwarding.ForwardAsync(context, "/v1/completions", send, passthrough, options.Value);

    public static Task<IResult> EmbeddingsAsync(
        HttpContext context, LeasedSend send, LlamaServerPassthrough passthrough, IOptions<GatewayOptions> options) =>
        OpenAiForwarding.ForwardAsync(context, "/v1/embeddings", send, passthrough, options.Value);

    public static NotFound<OpenAiErrorResponse> NotFound(HttpRequest request) =>
        TypedResults.NotFound(new OpenAiErrorResponse(new OpenAiError($"Unknown route: {request.Method} {request.Path}", "invalid_request_error", Code: "not_found")));
}
