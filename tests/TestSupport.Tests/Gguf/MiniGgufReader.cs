using System.Buffers.Binary;
using System.Text;
using LlamaAspire.TestSupport.Gguf;

namespace LlamaAspire.TestSupport.Tests.Gguf;

/// <summary>Just enough of a GGUF reader to check the writer's bytes; it trusts its input.</summary>
internal sealed class MiniGgufReader
{
    private readonly byte[] _bytes;
    private readonly bool _bigEndian;
    private readonly bool _legacy;
    private int _pos;

    private MiniGgufReader(byte[] bytes)
    {
        _bytes = bytes;
        var version = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4));
        _bigEndian = (version & 0xFFFF) == 0;
        _pos = 4;
        Version = U32();
        _legacy = Version == 1;
    }

    public uint Version { get; }

    public ulong TensorCount { get; private set; }

    public Dictionary<string, object> Metadata { get; } = [];

    public List<(string Name, ulong[] Dims, GgmlType Type, ulong Offset)> Tensors { get; } = [];

    public long DataStart { get; private set; }

    public static MiniGgufReader Read(byte[] bytes, uint alignment = GgufWriter.DefaultAlignment)
    {
        var reader = new MiniGgufReader(bytes);
        reader.TensorCount = reader.Size();
        var kvCount = reader.Size();
        for (ulong i = 0; i < kvCount; i++)
        {
            var key = reader.Str();
            reader.Metadata[key] = reader.Value((GgufValueType)reader.U32());
        }

        for (ulong i = 0; i < reader.TensorCount; i++)
        {
            var name = reader.Str();
            var dims = new ulong[reader.U32()];
            for (var d = 0; d < dims.Length; d++) dims[d] = reader.Size();
            reader.Tensors.Add((name, dims, (GgmlType)reader.U32(), reader.U64()));
        }

        reader.DataStart = reader._pos + ((alignment - (reader._pos % alignment)) % alignment);
        return reader;
    }

    private object Value(GgufValueType type) => type switch
    {
        GgufValueType.UInt8 => Take(1)[0],
        GgufValueType.Int8 => (sbyte)Take(1)[0],
        GgufValueType.UInt16 => _bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(Take(2)) : BinaryPrimitives.ReadUInt16LittleEndian(Take(2)),
        GgufValueType.Int16 => _bigEndian ? BinaryPrimitives.ReadInt16BigEndian(Take(2)) : BinaryPrimitives.ReadInt16LittleEndian(Take(2)),
        GgufValueType.UInt32 => U32(),
        GgufValueType.Int32 => (int)U32(),
        GgufValueType.Float32 => BitConverter.UInt32BitsToSingle(U32()),
        GgufValueType.Bool => Take(1)[0] != 0,
        GgufValueType.String => Str(),
        GgufValueType.UInt64 => U64(),
        GgufValueType.Int64 => (long)U64(),
        GgufValueType.Float64 => BitConverter.UInt64BitsToDouble(U64()),
        GgufValueType.Array => Array(),
        _ => throw new InvalidDataException($"type {type}"),
    };

    private object[] Array()
    {
        var elementType = (GgufValueType)U32();
        var items = new object[Size()];
        for (var i = 0; i < items.Length; i++) items[i] = Value(elementType);
        return items;
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        var span = _bytes.AsSpan(_pos, count);
        _pos += count;
        return span;
    }

    private uint U32() => _bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(Take(4)) : BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    private ulong U64() => _bigEndian ? BinaryPrimitives.ReadUInt64BigEndian(Take(8)) : BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    private ulong Size() => _legacy ? U32() : U64();

    private string Str() => Encoding.UTF8.GetString(Take((int)Size()));
}
