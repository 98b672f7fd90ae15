using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LlamaAspire.Gateway.Ollama;

/// <summary>How the Ollama dialect reads and writes JSON.</summary>
public static class OllamaJson
{
    /// <summary>
    /// Go's encoding/json matches field names case-insensitively, so clients that send "Model" still work.
    /// Output is written relaxed (non-ASCII kept as is): the bodies are JSON and NDJSON, never embedded in HTML.
    /// </summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNameCaseInsensitive = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

    /// <summary>One NDJSON line: the object followed by a single '\n'.</summary>
    public static byte[] SerializeLine<T>(T value)
    {
        var json = Serialize(value);
        var line = new byte[json.Length + 1];
        json.CopyTo(line, 0);
        line[^1] = (byte)'\n';
        return line;
    }
}
