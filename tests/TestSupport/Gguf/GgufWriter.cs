using System.Runtime.InteropServices;
using System.Text;

namespace LlamaAspire.TestSupport.Gguf;

/// <summary>
/// Builds a GGUF file in memory order: header, metadata, tensor infos, padding, tensor data.
/// Everything is written as given, so tests can also craft files a reader must reject.
/// Tensor data is given little-endian; a big-endian file gets it byte-swapped per element, as gguf-py does.
/// </summary>
public sealed class GgufWriter
{
    public const uint DefaultAlignment = 32;

    private readonly List<(string? Key, GgufValue? Value, byte[]? Raw)> _metadata = [];
    private readonly List<GgufTensor> _tensors = [];

    /// <summary>3 by default; 2 is still read by llama.cpp; 1 switches counts and lengths to uint32.</summary>
    public uint Version { get; init; } = 3;

    public bool BigEndian { get; init; }

    /// <summary>The 4 magic bytes; "GGUF" unless a test wants a bad one.</summary>
    public string Magic { get; init; } = "GGUF";

    /// <summary>Written instead of the real tensor count when set.</summary>
    public ulong? TensorCountOverride { get; set; }

    /// <summary>Written instead of the real metadata entry count when set.</summary>
    public ulong? MetadataCountOverride { get; set; }

    /// <summary>Padding used for tensor data; <see cref="WithAlignment"/> also records it as general.alignment.</summary>
    public uint Alignment { get; set; } = DefaultAlignment;

    public int MetadataCount => _metadata.Count;

    public IReadOnlyList<GgufTensor> Tensors => _tensors;

    /// <summary>Adds a key; the value is a CLR scalar, string, array or a <see cref="GgufValue"/>.</summary>
    public GgufWriter Add(string key, object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _metadata.Add((key, GgufValue.From(value), null));
        return this;
    }

    /// <summary>Appends bytes that stand for one whole metadata entry (key, type and value).</summary>
    public GgufWriter AddRawEntry(byte[] entry)
    {
        _metadata.Add((null, null, entry));
        return this;
    }

    public GgufWriter WithAlignment(uint alignment)
    {
        Alignment = alignment;
        return Add("general.alignment", alignment);
    }

    public GgufWriter AddTensor(string name, ulong[] dimensions, float[] data) =>
        AddTensor(name, dimensions, GgmlType.F32, ToBytes<float>(data));

    public GgufWriter AddTensor(string name, ulong[] dimensions, Half[] data) =>
        AddTensor(name, dimensions, GgmlType.F16, ToBytes<Half>(data));

    public GgufWriter AddTensor(string name, ulong[] dimensions, GgmlType type, byte[] data, ulong? offset = null) =>
        AddTensor(new GgufTensor(name, dimensions, type, data, offset));

    public GgufWriter AddTensor(GgufTensor tensor)
    {
        _tensors.Add(tensor);
        return this;
    }

    /// <summary>Writes the file and returns where its sections landed, for tests that cut or patch it.</summary>
    public GgufLayout WriteTo(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var alignment = Alignment == 0 ? DefaultAlignment : Alignment;
        var writer = new GgufBinaryWriter(stream, BigEndian, legacySizes: Version == 1);
        WriteHeader(writer);
        var headerEnd = writer.Position;
        foreach (var (key, value, raw) in _metadata)
        {
            if (raw is not null)
            {
                writer.WriteBytes(raw);
                continue;
            }

            writer.WriteString(key!);
            writer.WriteU32((uint)value!.Type);
            value.WritePayload(writer);
        }

        var metadataEnd = writer.Position;
        var offsets = PlaceTensors(alignment);
        for (var i = 0; i < _tensors.Count; i++)
        {
            var tensor = _tensors[i];
            writer.WriteString(tensor.Name);
            writer.WriteU32((uint)tensor.Dimensions.Count);
            foreach (var dim in tensor.Dimensions) writer.WriteSize(dim);
            writer.WriteU32((uint)tensor.Type);
            writer.WriteU64(offsets[i]);
        }

        var tensorInfosEnd = writer.Position;
        var dataStart = tensorInfosEnd + ((alignment - (tensorInfosEnd % alignment)) % alignment);
        // Like llama.cpp's own vocab-only files, a file without tensor data ends unpadded.
        if (_tensors.Any(t => !t.Data.IsEmpty)) writer.PadTo(alignment);
        foreach (var tensor in _tensors)
        {
            if (tensor.Data.IsEmpty) continue;
            writer.WriteBytes(SwapIfNeeded(tensor));
            writer.PadTo(alignment);
        }

        return new GgufLayout(headerEnd, metadataEnd, tensorInfosEnd, dataStart, offsets, writer.Position);
    }

    public byte[] ToArray()
    {
        using var memory = new MemoryStream();
        WriteTo(memory);
        return memory.ToArray();
    }

    public GgufLayout WriteToFile(string path)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        return WriteTo(file);
    }

    private void WriteHeader(GgufBinaryWriter writer)
    {
        var magic = Encoding.ASCII.GetBytes(Magic);
        writer.WriteBytes(magic);
        writer.WriteU32(Version);
        writer.WriteSize(TensorCountOverride ?? (ulong)_tensors.Count);
        writer.WriteSize(MetadataCountOverride ?? (ulong)_metadata.Count);
    }

    /// <summary>Offsets relative to the data section; data-less tensors take no room.</summary>
    private ulong[] PlaceTensors(uint alignment)
    {
        var offsets = new ulong[_tensors.Count];
        ulong next = 0;
        for (var i = 0; i < _tensors.Count; i++)
        {
            var tensor = _tensors[i];
            offsets[i] = tensor.Offset ?? next;
            if (tensor.Data.IsEmpty) continue;
            next += (ulong)tensor.Data.Length;
            next += (alignment - (next % alignment)) % alignment;
        }

        return offsets;
    }

    private byte[] SwapIfNeeded(GgufTensor tensor)
    {
        var bytes = tensor.Data.ToArray();
        var width = tensor.Type switch
        {
            GgmlType.F32 or GgmlType.I32 => 4,
            GgmlType.F16 or GgmlType.BF16 or GgmlType.I16 => 2,
            GgmlType.F64 or GgmlType.I64 => 8,
            _ => 1,
        };
        if (!BigEndian || width == 1) return bytes;
        for (var i = 0; i + width <= bytes.Length; i += width) System.Array.Reverse(bytes, i, width);
        return bytes;
    }

    private static byte[] ToBytes<T>(T[] data)
        where T : struct => MemoryMarshal.AsBytes(data.AsSpan()).ToArray();
}
