using System.Text;

namespace LlamaAspire.MetadataService.Gguf;

/// <summary>
/// Reads a GGUF header (metadata and tensor infos, never tensor data) from a stream. Any byte sequence either
/// parses or fails with a <see cref="GgufFormatException"/>; lengths and counts are checked against the bytes
/// left and the caps in <see cref="GgufReadOptions"/> before anything is allocated.
/// </summary>
public static class GgufReader
{
    public const uint DefaultAlignment = 32;
    public const int MaxDimensions = 4;

    private const uint Magic = 0x46554747; // "GGUF" read little-endian

    // The smallest encodings, used to bound counts by the bytes left.
    private const int MinEntryBytes = 8 + 4 + 1;
    private const int MinTensorInfoBytes = 8 + 4 + 4 + 8;
    private const int MinArrayBytes = 4 + 8;

    // A constant, so reading or skipping a 300k-entry array builds no message per element; the offset locates it.
    private const string StringInArray = "string in an array";

    public static GgufHeader ReadFile(string path, GgufReadOptions? options = null)
    {
        using var stream = new FileStream(
            path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0, FileOptions.SequentialScan);
        return Read(stream, options);
    }

    /// <summary>Reads from the stream's current position, which is taken as the start of the file.</summary>
    public static GgufHeader Read(Stream stream, GgufReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = new GgufByteReader(stream);
        var parser = new Parser(reader, options ?? GgufReadOptions.Default, reader.Position);
        return parser.Parse();
    }

    private sealed class Parser(GgufByteReader reader, GgufReadOptions options, long origin)
    {
        private readonly byte[][] _probes = [.. options.Probes.Select(Encoding.UTF8.GetBytes)];
        private readonly HashSet<string> _found = new(StringComparer.Ordinal);

        public GgufHeader Parse()
        {
            var version = ReadPreamble();
            var tensorCount = ReadCount(options.MaxTensorCount, MinTensorInfoBytes, "tensor count");
            var entryCount = ReadCount(options.MaxMetadataCount, MinEntryBytes, "metadata entry count");

            var metadata = new List<GgufMetadataEntry>((int)Math.Min(entryCount, 256));
            var keys = new HashSet<string>(StringComparer.Ordinal);
            var alignment = DefaultAlignment;
            for (long i = 0; i < entryCount; i++)
            {
                var entry = ReadEntry(keys);
                if (entry.Key == "general.alignment") alignment = CheckAlignment(entry);
                metadata.Add(entry);
            }

            var tensors = new List<GgufTensorInfo>((int)Math.Min(tensorCount, 4096));
            var names = new HashSet<string>(StringComparer.Ordinal);
            for (long i = 0; i < tensorCount; i++) tensors.Add(ReadTensorInfo(names, alignment));

            var end = reader.Position - origin;
            var dataOffset = end + ((alignment - (end % alignment)) % alignment);
            return new GgufHeader(version, reader.BigEndian, alignment, dataOffset, metadata, tensors, _found);
        }

        private uint ReadPreamble()
        {
            if (reader.Remaining < 4) throw reader.Error("not a GGUF file: too short for the magic");
            if (reader.ReadU32() != Magic) throw GgufByteReader.Error(origin, "not a GGUF file: bad magic (expected \"GGUF\")");
            var at = reader.Position;
            var version = reader.ReadU32();
            if (version is 2 or 3) return version;
            if (version == 1) throw GgufByteReader.Error(at, "GGUF version 1 is no longer supported");
            var swapped = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(version);
            if ((version & 0xFFFF) == 0 && swapped is 2 or 3)
            {
                if (swapped == 2) throw GgufByteReader.Error(at, "big-endian GGUF version 2 is not supported");
                reader.BigEndian = true;
                return swapped;
            }

            throw GgufByteReader.Error(at, $"unsupported GGUF version {version}");
        }

        private long ReadCount(long cap, int minBytesEach, string what)
        {
            var at = reader.Position;
            var count = reader.ReadU64();
            if (count > (ulong)cap) throw GgufByteReader.Error(at, $"{what} {count} exceeds the cap of {cap}");
            if (count > (ulong)(reader.Remaining / minBytesEach))
                throw GgufByteReader.Error(at, $"{what} {count} cannot fit in the {reader.Remaining} bytes left");
            return (long)count;
        }

        private GgufMetadataEntry ReadEntry(HashSet<string> keys)
        {
            var at = reader.Position;
            var key = reader.ReadString(options.MaxKeyLength, "metadata key");
            if (!keys.Add(key)) throw GgufByteReader.Error(at, $"duplicate metadata key '{key}'");
            var type = ReadType("value type of '" + key + "'");
            var value = ReadValue(type, key, depth: 0);
            return new GgufMetadataEntry(key, type, value);
        }

        private GgufValueType ReadType(string what)
        {
            var at = reader.Position;
            var type = reader.ReadU32();
            if (type > (uint)GgufValueType.Float64) throw GgufByteReader.Error(at, $"{what}: unknown type id {type}");
            return (GgufValueType)type;
        }

        private object ReadValue(GgufValueType type, string key, int depth) => type switch
        {
            GgufValueType.UInt8 => reader.ReadU8(),
            GgufValueType.Int8 => unchecked((sbyte)reader.ReadU8()),
            GgufValueType.UInt16 => reader.ReadU16(),
            GgufValueType.Int16 => unchecked((short)reader.ReadU16()),
            GgufValueType.UInt32 => reader.ReadU32(),
            GgufValueType.Int32 => unchecked((int)reader.ReadU32()),
            GgufValueType.Float32 => BitConverter.UInt32BitsToSingle(reader.ReadU32()),
            GgufValueType.Bool => ReadBool(key),
            GgufValueType.String => reader.ReadString(options.MaxStringLength, $"string value of '{key}'"),
            GgufValueType.UInt64 => reader.ReadU64(),
            GgufValueType.Int64 => unchecked((long)reader.ReadU64()),
            GgufValueType.Float64 => BitConverter.UInt64BitsToDouble(reader.ReadU64()),
            _ => ReadArray(key, depth),
        };

        private bool ReadBool(string key)
        {
            var at = reader.Position;
            return reader.ReadU8() switch
            {
                0 => false,
                1 => true,
                var b => throw GgufByteReader.Error(at, $"bool value of '{key}' is {b}, not 0 or 1"),
            };
        }

        private GgufArray ReadArray(string key, int depth)
        {
            if (depth >= options.MaxArrayNesting) throw reader.Error($"arrays in '{key}' nest deeper than {options.MaxArrayNesting}");
            var elementType = ReadType($"element type of '{key}'");
            var count = ReadCount(options.MaxArrayCount, MinBytes(elementType), $"array count of '{key}'");
            if (!options.ReadLargeArrays && count > options.LargeArrayThreshold)
            {
                SkipElements(elementType, count, key, depth);
                return new GgufArray(elementType, count, null);
            }

            return new GgufArray(elementType, count, ReadElements(elementType, (int)count, key, depth));
        }

        private Array ReadElements(GgufValueType type, int count, string key, int depth)
        {
            switch (type)
            {
                case GgufValueType.String:
                    var strings = new string[count];
                    for (var i = 0; i < count; i++) strings[i] = reader.ReadString(options.MaxStringLength, StringInArray);
                    return strings;
                case GgufValueType.Array:
                    var arrays = new GgufArray[count];
                    for (var i = 0; i < count; i++) arrays[i] = ReadArray(key, depth + 1);
                    return arrays;
                default:
                    return ReadScalars(type, count, key);
            }
        }

        private Array ReadScalars(GgufValueType type, int count, string key)
        {
            switch (type)
            {
                case GgufValueType.UInt8: return Fill(new byte[count], r => r.ReadU8());
                case GgufValueType.Int8: return Fill(new sbyte[count], r => unchecked((sbyte)r.ReadU8()));
                case GgufValueType.UInt16: return Fill(new ushort[count], r => r.ReadU16());
                case GgufValueType.Int16: return Fill(new short[count], r => unchecked((short)r.ReadU16()));
                case GgufValueType.UInt32: return Fill(new uint[count], r => r.ReadU32());
                case GgufValueType.Int32: return Fill(new int[count], r => unchecked((int)r.ReadU32()));
                case GgufValueType.Float32: return Fill(new float[count], r => BitConverter.UInt32BitsToSingle(r.ReadU32()));
                case GgufValueType.UInt64: return Fill(new ulong[count], r => r.ReadU64());
                case GgufValueType.Int64: return Fill(new long[count], r => unchecked((long)r.ReadU64()));
                case GgufValueType.Float64: return Fill(new double[count], r => BitConverter.UInt64BitsToDouble(r.ReadU64()));
                default:
                    var bools = new bool[count];
                    for (var i = 0; i < count; i++) bools[i] = ReadBool(key);
                    return bools;
            }
        }

        private T[] Fill<T>(T[] values, Func<GgufByteReader, T> read)
        {
            for (var i = 0; i < values.Length; i++) values[i] = read(reader);
            return values;
        }

        private void SkipElements(GgufValueType type, long count, string key, int depth)
        {
            switch (type)
            {
                case GgufValueType.String:
                    var probes = depth == 0 && key == options.ProbedKey ? _probes : [];
                    reader.SkipStrings(count, options.MaxStringLength, StringInArray, probes, p => _found.Add(options.Probes[p]));
                    break;
                case GgufValueType.Array:
                    for (long i = 0; i < count; i++)
                    {
                        if (depth + 1 >= options.MaxArrayNesting) throw reader.Error($"arrays in '{key}' nest deeper than {options.MaxArrayNesting}");
                        var elementType = ReadType($"element type of '{key}'");
                        var inner = ReadCount(options.MaxArrayCount, MinBytes(elementType), $"array count of '{key}'");
                        SkipElements(elementType, inner, key, depth + 1);
                    }

                    break;
                case GgufValueType.Bool:
                    for (long i = 0; i < count; i++) ReadBool(key);
                    break;
                default:
                    // ReadCount has already checked count * size against the bytes left.
                    reader.Skip(count * MinBytes(type));
                    break;
            }
        }

        private GgufTensorInfo ReadTensorInfo(HashSet<string> names, uint alignment)
        {
            var at = reader.Position;
            var name = reader.ReadString(options.MaxTensorNameLength, "tensor name");
            if (!names.Add(name)) throw GgufByteReader.Error(at, $"duplicate tensor name '{name}'");
            var dimsAt = reader.Position;
            var dimCount = reader.ReadU32();
            if (dimCount > MaxDimensions) throw GgufByteReader.Error(dimsAt, $"tensor '{name}' has {dimCount} dimensions; at most {MaxDimensions} are allowed");
            var dims = new ulong[dimCount];
            ulong elements = 1;
            for (var d = 0; d < dims.Length; d++)
            {
                dims[d] = reader.ReadU64();
                if (dims[d] > long.MaxValue || (dims[d] != 0 && elements > (ulong)long.MaxValue / dims[d]))
                    throw GgufByteReader.Error(dimsAt, $"tensor '{name}' element count overflows");
                elements *= dims[d];
            }

            var type = reader.ReadU32();
            var offsetAt = reader.Position;
            var offset = reader.ReadU64();
            if (offset % alignment != 0) throw GgufByteReader.Error(offsetAt, $"tensor '{name}' offset {offset} is not a multiple of the alignment {alignment}");
            return new GgufTensorInfo(name, dims, type, offset);
        }

        private uint CheckAlignment(GgufMetadataEntry entry)
        {
            if (entry.Value is not uint value) throw reader.Error($"general.alignment must be a uint32, not {entry.Type}");
            if (value == 0 || (value & (value - 1)) != 0) throw reader.Error($"general.alignment {value} is not a power of two");
            return value;
        }

        private static int MinBytes(GgufValueType type) => type switch
        {
            GgufValueType.UInt8 or GgufValueType.Int8 or GgufValueType.Bool => 1,
            GgufValueType.UInt16 or GgufValueType.Int16 => 2,
            GgufValueType.UInt32 or GgufValueType.Int32 or GgufValueType.Float32 => 4,
            GgufValueType.String or GgufValueType.UInt64 or GgufValueType.Int64 or GgufValueType.Float64 => 8,
            _ => MinArrayBytes,
        };
    }
}
