using System.Buffers.Binary;
using System.Text;

namespace LlamaAspire.TestSupport.Gguf;

/// <summary>Writes GGUF primitives in the chosen byte order; version 1 files use 32-bit sizes.</summary>
internal sealed class GgufBinaryWriter(Stream stream, bool bigEndian, bool legacySizes)
{
    private readonly byte[] _buffer = new byte[8];

    public long Position { get; private set; }

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        stream.Write(bytes);
        Position += bytes.Length;
    }

    public void WriteU8(byte value) => WriteBytes([value]);

    public void WriteU16(ushort value)
    {
        if (bigEndian) BinaryPrimitives.WriteUInt16BigEndian(_buffer, value);
        else BinaryPrimitives.WriteUInt16LittleEndian(_buffer, value);
        WriteBytes(_buffer.AsSpan(0, 2));
    }

    public void WriteU32(uint value)
    {
        if (bigEndian) BinaryPrimitives.WriteUInt32BigEndian(_buffer, value);
        else BinaryPrimitives.WriteUInt32LittleEndian(_buffer, value);
        WriteBytes(_buffer.AsSpan(0, 4));
    }

    public void WriteU64(ulong value)
    {
        if (bigEndian) BinaryPrimitives.WriteUInt64BigEndian(_buffer, value);
        else BinaryPrimitives.WriteUInt64LittleEndian(_buffer, value);
        WriteBytes(_buffer.AsSpan(0, 8));
    }

    public void WriteF32(float value) => WriteU32(BitConverter.SingleToUInt32Bits(value));

    public void WriteF64(double value) => WriteU64(BitConverter.DoubleToUInt64Bits(value));

    /// <summary>A count or length: uint64 from v2 on, uint32 in v1.</summary>
    public void WriteSize(ulong value)
    {
        if (legacySizes) WriteU32(unchecked((uint)value));
        else WriteU64(value);
    }

    public void WriteString(string value) => WriteString(Encoding.UTF8.GetBytes(value), null);

    public void WriteString(ReadOnlySpan<byte> utf8, ulong? declaredLength)
    {
        WriteSize(declaredLength ?? (ulong)utf8.Length);
        WriteBytes(utf8);
    }

    public void PadTo(long alignment)
    {
        var padding = (int)((alignment - (Position % alignment)) % alignment);
        if (padding > 0) WriteBytes(new byte[padding]);
    }
}
