using LlamaAspire.Gateway.Forwarding;
using LlamaAspire.Gateway.Responses;
using LlamaAspire.Gateway.Upstream;

namespace LlamaAspire.Gateway.LmStudio;

/// <summary>LM Studio's REST v1 chat (POST /api/v1/chat), served by <see cref="LlamaChatRelay"/> in the <see cref="LmStudioV1ChatDialect"/>.</summary>
public static class LmStudioV1ChatApi
{
    public static RouteGroupBuilder MapLmStudioV1Chat(this RouteGroupBuilder lmStudio)
    {
        ArgumentNullException.ThrowIfNull(lmStudio);
        lmStudio.MapPost("/api/v1/chat", ChatAsync).WithName("LmStudio.V1.Chat");
        return lmStudio;
    }

    public static Task<IResult> ChatAsync(HttpContext context, LlamaChatRelay relay, ResponsesStore store, MetadataClient metadata, LmStudioRunners runners)
    {
        ArgumentNullException.ThrowIfNull(relay);
        return relay.RunAsync(context, new LmStudioV1ChatDialect(store, metadata, runners));
    }
}
