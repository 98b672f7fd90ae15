namespace LlamaAspire.Gateway.Ollama;

/// <summary>Ollama sends images as bare base64; the OpenAI-style image_url wants a data URI.</summary>
internal static class OllamaImages
{
    public static string ToDataUri(string base64) =>
        base64.StartsWith("data:", StringComparison.Ordinal) ? base64 : $"data:{SniffMediaType(base64)};base64,{base64}";

    // The first bytes of the common formats, as they look once base64-encoded.
    private static string SniffMediaType(string base64) =>
        base64.StartsWith("iVBORw0KGgo", StringComparison.Ordinal) ? "image/png"
        : base64.StartsWith("/9j/", StringComparison.Ordinal) ? "image/jpeg"
        : base64.StartsWith("R0lGOD", StringComparison.Ordinal) ? "image/gif"
        : base64.StartsWith("UklGR", StringComparison.Ordinal) ? "image/webp"
        : base64.StartsWith("Qk", StringComparison.Ordinal) ? "image/bmp"
        : "application/octet-stream";
}
