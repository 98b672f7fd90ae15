using System.Buffers.Binary;
using System.Text;
using LlamaAspire.TestSupport.Gguf;

namespace LlamaAspire.TestSupport.Tests.Gguf;

public sealed class GgufWriterTests
{
    [Fact]
    public void WriteTo_EmptyWriter_WritesMagicVersion3ZeroCountsAndNoPadding()
    {
        var bytes = new GgufWriter().ToArray();

        Assert.Equal(24, bytes.Length);
        Assert.Equal("GGUF", Encoding.ASCII.GetString(bytes, 0, 4));
        Assert.Equal(0x46554747u, BinaryPrimitives.ReadUInt32LittleEndian(bytes));
        Assert.Equal(3u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)));
        Assert.Equal(0ul, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(8)));
        Assert.Equal(0ul, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(16)));
    }

    [Fact]
    public void Add_AllThirteenTypes_RoundTripWithTheirTypeIds()
    {
        var writer = new GgufWriter()
            .Add("t.u8", (byte)200).Add("t.i8", (sbyte)-5).Add("t.u16", (ushort)60000).Add("t.i16", (short)-300)
            .Add("t.u32", 4_000_000_000u).Add("t.i32", -7).Add("t.f32", 1.5f).Add("t.bool", true)
            .Add("t.str", "héllo").Add("t.arr", new[] { 1u, 2u, 3u }).Add("t.u64", ulong.MaxValue)
            .Add("t.i64", long.MinValue).Add("t.f64", Math.PI);

        var bytes = writer.ToArray();
        var read = MiniGgufReader.Read(bytes);

        Assert.Equal(13, read.Metadata.Count);
        Assert.Equal((byte)200, read.Metadata["t.u8"]);
        Assert.Equal((sbyte)-5, read.Metadata["t.i8"]);
        Assert.Equal((ushort)60000, read.Metadata["t.u16"]);
        Assert.Equal((short)-300, read.Metadata["t.i16"]);
        Assert.Equal(4_000_000_000u, read.Metadata["t.u32"]);
        Assert.Equal(-7, read.Metadata["t.i32"]);
        Assert.Equal(1.5f, read.Metadata["t.f32"]);
        Assert.Equal(true, read.Metadata["t.bool"]);
        Assert.Equal("héllo", read.Metadata["t.str"]);
        Assert.Equal(new object[] { 1u, 2u, 3u }, read.Metadata["t.arr"]);
        Assert.Equal(ulong.MaxValue, read.Metadata["t.u64"]);
        Assert.Equal(long.MinValue, read.Metadata["t.i64"]);
        Assert.Equal(Math.PI, read.Metadata["t.f64"]);

        // First entry by hand: key length 4, "t.u8", type id 0, value 200.
        Assert.Equal(4ul, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(24)));
        Assert.Equal("t.u8", Encoding.ASCII.GetString(bytes, 32, 4));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(36)));
        Assert.Equal(200, bytes[40]);
    }

    [Fact]
    public void Add_NestedAndEmptyArrays_WriteElementTypeAndCountPerLevel()
    {
        var nested = GgufValue.Array(GgufValue.From(new[] { "a", "b" }), GgufValue.From(new[] { "c" }));
        var bytes = new GgufWriter()
            .Add("nested", nested)
            .Add("empty", GgufValue.Array(GgufValueType.Float32))
            .ToArray();

        var read = MiniGgufReader.Read(bytes);

        var outer = Assert.IsType<object[]>(read.Metadata["nested"]);
        Assert.Equal(new object[] { "a", "b" }, outer[0]);
        Assert.Equal(new object[] { "c" }, outer[1]);
        Assert.Empty(Assert.IsType<object[]>(read.Metadata["empty"]));
    }

    [Theory]
    [InlineData(32u)]
    [InlineData(64u)]
    public void AddTensor_SeveralTensors_OffsetsAndDataStartAreAligned(uint alignment)
    {
        var writer = new GgufWriter().Add("general.architecture", "llama");
        if (alignment != GgufWriter.DefaultAlignment) writer.WithAlignment(alignment);
        writer.AddTensor("a", [3], [1f, 2f, 3f])
            .AddTensor("b", [5, 2], Enumerable.Range(0, 10).Select(i => (float)i).ToArray())
            .AddTensor("c", [7], GgmlType.I8, [1, 2, 3, 4, 5, 6, 7]);

        using var memory = new MemoryStream();
        var layout = writer.WriteTo(memory);
        var bytes = memory.ToArray();
        var read = MiniGgufReader.Read(bytes, alignment);

        Assert.Equal(3ul, read.TensorCount);
        Assert.Equal(layout.DataStart, read.DataStart);
        Assert.Equal(0, layout.DataStart % alignment);
        Assert.All(bytes[(int)layout.TensorInfosEnd..(int)layout.DataStart], b => Assert.Equal(0, b));
        // 3 floats fit one slot; 10 floats (40 bytes) take 64 bytes either way.
        Assert.Equal(new ulong[] { 0, alignment, alignment + 64 }, read.Tensors.Select(t => t.Offset));
        Assert.Equal(new ulong[] { 5, 2 }, read.Tensors[1].Dims);
        Assert.Equal(GgmlType.I8, read.Tensors[2].Type);
        Assert.Equal(9f, BitConverter.ToSingle(bytes, (int)(layout.DataStart + (long)alignment + 36)));
        Assert.Equal(0, layout.Length % alignment);
        Assert.Equal(bytes.Length, layout.Length);
    }

    [Fact]
    public void WriteTo_BigEndianVersion2_SwapsNumbersButNotMagic()
    {
        var bytes = new GgufWriter { Version = 2, BigEndian = true }
            .Add("k", 0x01020304u)
            .AddTensor("t", [1], [1f])
            .ToArray();

        Assert.Equal("GGUF", Encoding.ASCII.GetString(bytes, 0, 4));
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(4)));
        var read = MiniGgufReader.Read(bytes);
        Assert.Equal(2u, read.Version);
        Assert.Equal(0x01020304u, read.Metadata["k"]);
        Assert.Equal(1f, BinaryPrimitives.ReadSingleBigEndian(bytes.AsSpan((int)read.DataStart)));
    }

    [Fact]
    public void WriteTo_Version1_UsesUInt32CountsAndLengths()
    {
        using var memory = new MemoryStream();
        var layout = new GgufWriter { Version = 1 }.Add("k", "v").WriteTo(memory);
        var bytes = memory.ToArray();

        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)));
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(12)));
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(16)));
        Assert.Equal((byte)'k', bytes[20]);
        Assert.Equal(4 + 4 + 4 + 4 + (4 + 1) + 4 + (4 + 1), layout.TensorInfosEnd);
    }

    [Fact]
    public void EscapeHatches_LieAboutCountsAndTypes_WriteExactlyWhatWasAsked()
    {
        var writer = new GgufWriter { Magic = "GGUX", TensorCountOverride = 99, MetadataCountOverride = ulong.MaxValue }
            .Add("lying.array", GgufValue.ArrayWithCount(GgufValueType.UInt8, 1_000_000, GgufValue.From((byte)1)))
            .Add("lying.string", GgufValue.Text("abc"u8.ToArray(), declaredLength: 1 << 30))
            .Add("bad.bool", GgufValue.Raw(GgufValueType.Bool, [2]))
            .Add("bad.type", GgufValue.Raw((GgufValueType)77, [9, 9]))
            .AddRawEntry([0xDE, 0xAD]);

        using var memory = new MemoryStream();
        var layout = writer.WriteTo(memory);
        var bytes = memory.ToArray();

        Assert.Equal("GGUX", Encoding.ASCII.GetString(bytes, 0, 4));
        Assert.Equal(99ul, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(8)));
        Assert.Equal(ulong.MaxValue, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(16)));
        var expected = new List<byte>();
        void Str(string s) { expected.AddRange(BitConverter.GetBytes((ulong)s.Length)); expected.AddRange(Encoding.ASCII.GetBytes(s)); }
        Str("lying.array"); expected.AddRange(BitConverter.GetBytes(9u)); expected.AddRange(BitConverter.GetBytes(0u));
        expected.AddRange(BitConverter.GetBytes(1_000_000ul)); expected.Add(1);
        Str("lying.string"); expected.AddRange(BitConverter.GetBytes(8u)); expected.AddRange(BitConverter.GetBytes(1ul << 30)); expected.AddRange("abc"u8.ToArray());
        Str("bad.bool"); expected.AddRange(BitConverter.GetBytes(7u)); expected.Add(2);
        Str("bad.type"); expected.AddRange(BitConverter.GetBytes(77u)); expected.AddRange([9, 9]);
        expected.AddRange([0xDE, 0xAD]);
        Assert.Equal(expected, bytes[(int)layout.HeaderEnd..(int)layout.MetadataEnd]);
    }

    [Fact]
    public void AddTensor_ExplicitOffset_IsWrittenVerbatim()
    {
        var bytes = new GgufWriter().AddTensor("t", [2], GgmlType.F32, new byte[8], offset: 12345).ToArray();

        Assert.Equal(12345ul, MiniGgufReader.Read(bytes).Tensors.Single().Offset);
    }
}
