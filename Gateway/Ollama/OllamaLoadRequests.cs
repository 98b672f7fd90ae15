namespace LlamaAspire.Gateway.Ollama;

public enum OllamaLoadAction
{
    /// <summary>An ordinary request: generate.</summary>
    None,

    /// <summary>Empty input: load the model (or keep it loaded) and answer done_reason "load".</summary>
    Load,

    /// <summary>Empty input with keep_alive 0: unload without loading first, answer done_reason "unload".</summary>
    Unload,
}

/// <summary>
/// Ollama's load-only and unload-only requests (empty prompt or messages). They always get one JSON object,
/// whatever "stream" says: Open WebUI and `ollama stop` read the reply with a single JSON parse.
/// </summary>
public static class OllamaLoadRequests
{
    public static OllamaLoadAction Classify(OllamaChatRequest request, TimeSpan? keepAlive)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Classify(request.Messages is not { Count: > 0 }, keepAlive);
    }

    public static OllamaLoadAction Classify(OllamaGenerateRequest request, TimeSpan? keepAlive)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Classify(string.IsNullOrEmpty(request.Prompt), keepAlive);
    }

    public static OllamaLoadAction Classify(OllamaEmbedRequest request, TimeSpan? keepAlive)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Classify(request.Inputs.Count == 0, keepAlive);
    }

    public static OllamaLoadAction Classify(OllamaEmbeddingsRequest request, TimeSpan? keepAlive)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Classify(string.IsNullOrEmpty(request.Prompt), keepAlive);
    }

    /// <summary>The /api/chat answer: an empty assistant message, done, with done_reason "load" or "unload".</summary>
    public static byte[] ChatAnswer(string model, OllamaLoadAction action, TimeProvider time) =>
        OllamaJson.Serialize(new OllamaChatResponse
        {
            Model = model, CreatedAt = OllamaClock.CreatedAt(time), Message = new OllamaMessage { Role = "assistant", Content = "" },
            Done = true, DoneReason = Reason(action),
        });

    /// <summary>The /api/generate answer: an empty response, done, with done_reason "load" or "unload".</summary>
    public static byte[] GenerateAnswer(string model, OllamaLoadAction action, TimeProvider time) =>
        OllamaJson.Serialize(new OllamaGenerateResponse
        {
            Model = model, CreatedAt = OllamaClock.CreatedAt(time), Response = "", Done = true, DoneReason = Reason(action),
        });

    /// <summary>/api/embed with no input: {"model","embeddings":[]}.</summary>
    public static byte[] EmbedAnswer(string model) => OllamaJson.Serialize(new OllamaEmbedResponse { Model = model, Embeddings = [] });

    /// <summary>/api/embeddings with no prompt: {"embedding":[]}.</summary>
    public static byte[] EmbeddingsAnswer() => OllamaJson.Serialize(new OllamaEmbeddingsResponse([]));

    private static OllamaLoadAction Classify(bool emptyInput, TimeSpan? keepAlive) =>
        !emptyInput ? OllamaLoadAction.None
        : OllamaKeepAlive.IsUnload(keepAlive) ? OllamaLoadAction.Unload
        : OllamaLoadAction.Load;

    private static string Reason(OllamaLoadAction action) => action switch
    {
        OllamaLoadAction.Load => "load",
        OllamaLoadAction.Unload => "unload",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "only load and unload have an answer of their own"),
    };
}
