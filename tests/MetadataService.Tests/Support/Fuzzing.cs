using LlamaAspire.MetadataService.Gguf;

namespace LlamaAspire.MetadataService.Tests.Support;

internal static class Fuzzing
{
    /// <summary>
    /// Parses the bytes; success and <see cref="GgufFormatException"/> are the only allowed outcomes. The work stays
    /// bounded: the reader never asks the stream for more than the file holds.
    /// </summary>
    public static bool ParseOrFailTyped(byte[] bytes, GgufReadOptions? options = null)
    {
        using var stream = new CountingStream(new MemoryStream(bytes, writable: false));
        try
        {
            GgufReader.Read(stream, options);
            return true;
        }
        catch (GgufFormatException e)
        {
            Assert.InRange(e.Offset, 0, bytes.Length);
            return false;
        }
        finally
        {
            Assert.InRange(stream.BytesRead, 0, bytes.Length);
        }
    }
}
