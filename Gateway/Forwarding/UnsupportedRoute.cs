namespace LlamaAspire.Gateway.Forwarding;

/// <summary>
/// llama-server answers 501 to a route its instance was not started for, such as embeddings from a chat model (one
/// started without --embeddings). To a client that is a capability the model lacks (a 400), not a server fault it should retry,
/// and llama-server's advice to restart it with other flags is not the client's to follow.
/// </summary>
public static class UnsupportedRoute
{
    public static bool IsUnsupported(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.StatusCode == System.Net.HttpStatusCode.NotImplemented;
    }

    public static string Message(string model, string upstreamPath) => upstreamPath switch
    {
        "/v1/embeddings" => $"Model '{model}' is not an embedding model: it cannot create embeddings.",
        _ => $"Model '{model}' does not support {upstreamPath}.",
    };
}
