using LlamaAspire.Gateway.Ollama;

namespace LlamaAspire.Gateway.Forwarding;

/// <summary>What every dialect's answer translator tracks of llama-server's chat stream: the end, the finish reason, usage and errors.</summary>
internal sealed class LlamaChatState
{
    public bool IsLast { get; private set; }
    public string? FinishReason { get; private set; }
    public long PromptTokens { get; private set; }
    public long CompletionTokens { get; private set; }
    public string? ErrorMessage { get; private set; }
    public int? ErrorStatus { get; private set; }

    /// <summary>The payload's update, or null when there is nothing more to translate (the end, or an error).</summary>
    public LlamaServerUpdate? Read(byte[] payload)
    {
        if (IsLast) return null;
        var update = LlamaServerUpdate.ParseOrError(payload);
        if (update.ErrorMessage is { } error)
        {
            ErrorMessage = error;
            ErrorStatus = update.ErrorCode;
            IsLast = true;
            return null;
        }
        FinishReason = update.FinishReason ?? FinishReason;
        PromptTokens = update.PromptTokens ?? PromptTokens;
        CompletionTokens = update.CompletionTokens ?? CompletionTokens;
        if (update.IsLast)
        {
            IsLast = true;
            return null;
        }
        return update;
    }
}
