namespace LlamaAspire.MetadataService.Gguf;

/// <summary>The bytes are not a GGUF file this reader accepts; <see cref="Offset"/> is where the problem was found.</summary>
public sealed class GgufFormatException : Exception
{
    public GgufFormatException()
    {
    }

    public GgufFormatException(string message)
        : base(message)
    {
    }

    public GgufFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public GgufFormatException(long offset, string reason)
        : base($"{reason} (at byte {offset})")
    {
        Offset = offset;
        Reason = reason;
    }

    public GgufFormatException(long offset, string reason, Exception innerException)
        : base($"{reason} (at byte {offset})", innerException)
    {
        Offset = offset;
        Reason = reason;
    }

    public long Offset { get; }

    public string Reason { get; } = "";
}
