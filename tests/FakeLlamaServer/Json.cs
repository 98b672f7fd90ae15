using System.Text;
using System.Text.Json;

namespace LlamaAspire.FakeLlamaServer;

/// <summary>Utf8JsonWriter without the reflection serializer, which costs start-up time.</summary>
public static class Json
{
    public static string Write(Action<Utf8JsonWriter> writeProperties)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writeProperties(writer);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
