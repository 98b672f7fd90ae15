using LlamaAspire.MetadataService.Gguf;
using LlamaAspire.TestSupport.Gguf;

namespace LlamaAspire.MetadataService.Tests.Support;

internal static class Headers
{
    public static GgufHeader Parse(byte[] bytes, GgufReadOptions? options = null)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        return GgufReader.Read(stream, options);
    }

    public static GgufHeader Parse(GgufWriter writer, GgufReadOptions? options = null) => Parse(writer.ToArray(), options);

    public static GgufFormatException Rejects(byte[] bytes, GgufReadOptions? options = null) =>
        Assert.Throws<GgufFormatException>(() => Parse(bytes, options));

    public static GgufFormatException Rejects(GgufWriter writer, GgufReadOptions? options = null) => Rejects(writer.ToArray(), options);
}
