namespace LlamaAspire.RunnerAgent.LlamaServer;

/// <summary>Configured args name flags the llama-server binary does not know; it would exit at once on them.</summary>
public sealed class LlamaServerFlagsException : InvalidOperationException
{
    public LlamaServerFlagsException()
    {
    }

    public LlamaServerFlagsException(string message)
        : base(message)
    {
    }

    public LlamaServerFlagsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public LlamaServerFlagsException(string message, string binary, IReadOnlyList<string> unknownFlags)
        : base(message)
    {
        Binary = binary;
        UnknownFlags = unknownFlags;
    }

    public string? Binary { get; }

    public IReadOnlyList<string> UnknownFlags { get; } = [];
}
