namespace LlamaAspire.MetadataService.Facts;

/// <summary>Capability names as Ollama's /api/show reports them.</summary>
public static class ModelCapabilities
{
    public const string Completion = "completion";
    public const string Embedding = "embedding";
    public const string Tools = "tools";
    public const string Vision = "vision";
    public const string Thinking = "thinking";
    public const string Insert = "insert";
}
