using LlamaAspire.MetadataService.Gguf;
using LlamaAspire.MetadataService.Tests.Support;
using LlamaAspire.TestSupport.Gguf;
using GgufArray = LlamaAspire.MetadataService.Gguf.GgufArray;
using GgufValueType = LlamaAspire.MetadataService.Gguf.GgufValueType;
using WriterType = LlamaAspire.TestSupport.Gguf.GgufValueType;

namespace LlamaAspire.MetadataService.Tests.Gguf;

public sealed class GgufReaderRoundTripTests
{
    private static readonly (string Key, object Value, GgufValueType Type)[] Scalars =
    [
        ("t.u8", (byte)200, GgufValueType.UInt8),
        ("t.i8", (sbyte)-100, GgufValueType.Int8),
        ("t.u16", (ushort)65000, GgufValueType.UInt16),
        ("t.i16", (short)-32000, GgufValueType.Int16),
        ("t.u32", 4_000_000_000u, GgufValueType.UInt32),
        ("t.i32", -2_000_000_000, GgufValueType.Int32),
        ("t.f32", 3.25f, GgufValueType.Float32),
        ("t.bool.true", true, GgufValueType.Bool),
        ("t.bool.false", false, GgufValueType.Bool),
        ("t.string", "héllo ✓", GgufValueType.String),
        ("t.u64", ulong.MaxValue - 1, GgufValueType.UInt64),
        ("t.i64", long.MinValue + 1, GgufValueType.Int64),
        ("t.f64", -1.5e300, GgufValueType.Float64),
    ];

    [Theory]
    [InlineData(3u, false)]
    [InlineData(2u, false)]
    [InlineData(3u, true)]
    public void Read_EveryScalarType_RoundTrips(uint version, bool bigEndian)
    {
        var writer = new GgufWriter { Version = version, BigEndian = bigEndian };
        foreach (var (key, value, _) in Scalars) writer.Add(key, value);

        var header = Headers.Parse(writer);

        Assert.Equal(version, header.Version);
        Assert.Equal(bigEndian, header.IsBigEndian);
        Assert.Equal(Scalars.Select(s => s.Key), header.Metadata.Select(e => e.Key));
        foreach (var (key, value, type) in Scalars)
        {
            var entry = header.Metadata.Single(e => e.Key == key);
            Assert.Equal(type, entry.Type);
            Assert.Equal(value, entry.Value);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Read_EveryArrayElementType_RoundTrips(bool bigEndian)
    {
        var writer = new GgufWriter { BigEndian = bigEndian }
            .Add("a.u8", new byte[] { 1, 2, 255 })
            .Add("a.i8", new sbyte[] { -1, 0, 1 })
            .Add("a.u16", new ushort[] { 1, 65535 })
            .Add("a.i16", new short[] { -2, 2 })
            .Add("a.u32", new uint[] { 7, uint.MaxValue })
            .Add("a.i32", new[] { -7, int.MaxValue })
            .Add("a.f32", new[] { 0.5f, -0.25f })
            .Add("a.bool", new[] { true, false, true })
            .Add("a.string", new[] { "a", "", "ü" })
            .Add("a.u64", new[] { 1UL, ulong.MaxValue })
            .Add("a.i64", new[] { -1L, long.MaxValue })
            .Add("a.f64", new[] { 1.0, double.NegativeInfinity });

        var header = Headers.Parse(writer);

        Assert.Equal(new byte[] { 1, 2, 255 }, header.GetArray("a.u8")!.Values);
        Assert.Equal(new sbyte[] { -1, 0, 1 }, header.GetArray("a.i8")!.Values);
        Assert.Equal(new ushort[] { 1, 65535 }, header.GetArray("a.u16")!.Values);
        Assert.Equal(new short[] { -2, 2 }, header.GetArray("a.i16")!.Values);
        Assert.Equal(new uint[] { 7, uint.MaxValue }, header.GetArray("a.u32")!.Values);
        Assert.Equal(new[] { -7, int.MaxValue }, header.GetArray("a.i32")!.Values);
        Assert.Equal(new[] { 0.5f, -0.25f }, header.GetArray("a.f32")!.Values);
        Assert.Equal(new[] { true, false, true }, header.GetArray("a.bool")!.Values);
        Assert.Equal(new[] { "a", "", "ü" }, header.GetArray("a.string")!.Values);
        Assert.Equal(new[] { 1UL, ulong.MaxValue }, header.GetArray("a.u64")!.Values);
        Assert.Equal(new[] { -1L, long.MaxValue }, header.GetArray("a.i64")!.Values);
        Assert.Equal(new[] { 1.0, double.NegativeInfinity }, header.GetArray("a.f64")!.Values);
        Assert.Equal(GgufValueType.Float64, header.GetArray("a.f64")!.ElementType);
    }

    [Fact]
    public void Read_EmptyStringsAndArrays_RoundTrip()
    {
        var writer = new GgufWriter()
            .Add("", "")
            .Add("empty.string", "")
            .Add("empty.array", GgufValue.Array(WriterType.String))
            .Add("empty.nested", GgufValue.Array(WriterType.Array));

        var header = Headers.Parse(writer);

        Assert.Equal("", header.GetString(""));
        Assert.Equal("", header.GetString("empty.string"));
        Assert.Equal(new GgufArray(GgufValueType.String, 0, Array.Empty<string>()), header.GetArray("empty.array")! with { Values = Array.Empty<string>() });
        Assert.Empty(header.GetArray("empty.array")!.Values!);
        Assert.Equal(GgufValueType.Array, header.GetArray("empty.nested")!.ElementType);
        Assert.Empty(header.GetArray("empty.nested")!.Values!);
    }

    [Fact]
    public void Read_NestedArrays_RoundTrip()
    {
        var writer = new GgufWriter()
            .Add("nested", GgufValue.Array(
                GgufValue.Array(GgufValue.From(1), GgufValue.From(2)),
                GgufValue.Array(WriterType.Int32),
                GgufValue.Array(GgufValue.From(3))))
            .Add("nested.strings", GgufValue.Array(GgufValue.Array(GgufValue.From("x"), GgufValue.From("yz"))))
            .Add("after", 42u);

        var header = Headers.Parse(writer);

        var outer = (GgufArray[])header.GetArray("nested")!.Values!;
        Assert.Equal(3, outer.Length);
        Assert.Equal(new[] { 1, 2 }, outer[0].Values);
        Assert.Empty(outer[1].Values!);
        Assert.Equal(new[] { 3 }, outer[2].Values);
        Assert.Equal(new[] { "x", "yz" }, ((GgufArray[])header.GetArray("nested.strings")!.Values!)[0].Values);
        Assert.Equal(42u, header["after"]);
    }

    [Fact]
    public void Read_StringLongerThanTheBuffer_RoundTrips()
    {
        var template = string.Concat(Enumerable.Repeat("{% for m in messages %}é", 20_000));
        var writer = new GgufWriter().Add("tokenizer.chat_template", template).Add("after", 1u);

        var header = Headers.Parse(writer);

        Assert.Equal(template, header.GetString("tokenizer.chat_template"));
        Assert.Equal(1u, header["after"]);
    }

    [Fact]
    public void Read_LargeArraysByDefault_AreSummarizedAndTheRestStillReads()
    {
        var tokens = Enumerable.Range(0, 3000).Select(i => $"tok{i}").ToArray();
        var writer = new GgufWriter()
            .Add("tokenizer.ggml.tokens", tokens)
            .Add("tokenizer.ggml.scores", new float[3000])
            .Add("tokenizer.ggml.token_type", new int[3000])
            .Add("big.bools", new bool[3000])
            .Add("big.nested", GgufValue.Array(Enumerable.Range(0, 2000).Select(_ => GgufValue.Array(GgufValue.From("a")))))
            .Add("after", "still here");

        var header = Headers.Parse(writer);

        Assert.Equal(new GgufArray(GgufValueType.String, 3000, null), header.GetArray("tokenizer.ggml.tokens"));
        Assert.Equal(new GgufArray(GgufValueType.Float32, 3000, null), header.GetArray("tokenizer.ggml.scores"));
        Assert.Equal(new GgufArray(GgufValueType.Int32, 3000, null), header.GetArray("tokenizer.ggml.token_type"));
        Assert.True(header.GetArray("big.bools")!.IsSkipped);
        Assert.Equal(new GgufArray(GgufValueType.Array, 2000, null), header.GetArray("big.nested"));
        Assert.Equal("still here", header.GetString("after"));
    }

    [Fact]
    public void Read_LargeArraysWhenAsked_AreReadFully()
    {
        var tokens = Enumerable.Range(0, 3000).Select(i => $"tok{i}").ToArray();
        var writer = new GgufWriter().Add("tokenizer.ggml.tokens", tokens).Add("after", 5);

        var header = Headers.Parse(writer, GgufReadOptions.Full);

        Assert.Equal(tokens, header.GetArray("tokenizer.ggml.tokens")!.Values);
        Assert.Equal(5, header["after"]);
    }

    [Fact]
    public void Read_ProbesInASkippedStringArray_AreReportedWhenPresent()
    {
        var tokens = Enumerable.Range(0, 2000).Select(i => $"tok{i}").Append("<|fim_prefix|>").ToArray();
        var writer = new GgufWriter().Add("tokenizer.ggml.tokens", tokens);

        var header = Headers.Parse(writer, new GgufReadOptions { Probes = ["<|fim_prefix|>", "<|fim_suffix|>", "tok7"] });

        Assert.True(header.GetArray("tokenizer.ggml.tokens")!.IsSkipped);
        Assert.Equal(["<|fim_prefix|>", "tok7"], header.FoundProbes.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(1u)]
    [InlineData(8u)]
    [InlineData(32u)]
    [InlineData(64u)]
    [InlineData(4096u)]
    public void Read_AlignmentVariants_GiveTheWritersDataStartAndOffsets(uint? alignment)
    {
        var writer = new GgufWriter().Add("general.architecture", "llama");
        if (alignment is { } a) writer.WithAlignment(a);
        writer.AddTensor("a.weight", [3], new float[3])
            .AddTensor("b.weight", [2, 5], new float[10])
            .AddTensor("c.weight", [1, 2, 3, 4], GgmlType.Q8_0, new byte[34]);
        using var stream = new MemoryStream();
        var layout = writer.WriteTo(stream);

        var header = Headers.Parse(stream.ToArray());

        Assert.Equal(alignment ?? 32u, header.Alignment);
        Assert.Equal(layout.DataStart, header.DataOffset);
        Assert.Equal(layout.TensorOffsets, header.Tensors.Select(t => t.Offset));
        Assert.Equal(["a.weight", "b.weight", "c.weight"], header.Tensors.Select(t => t.Name));
        Assert.Equal(new ulong[] { 1, 2, 3, 4 }, header.Tensors[2].Dimensions);
        Assert.Equal((uint)GgmlType.Q8_0, header.Tensors[2].GgmlType);
        Assert.Equal(24, header.Tensors[2].ElementCount);
    }

    [Fact]
    public void Read_BigEndianTensorInfos_RoundTrip()
    {
        var writer = new GgufWriter { BigEndian = true }.AddTensor("w", [4, 2], new float[8]).AddTensor("v", [3], new float[3]);
        using var stream = new MemoryStream();
        var layout = writer.WriteTo(stream);

        var header = Headers.Parse(stream.ToArray());

        Assert.Equal(new ulong[] { 4, 2 }, header.Tensors[0].Dimensions);
        Assert.Equal(layout.TensorOffsets, header.Tensors.Select(t => t.Offset));
        Assert.Equal(layout.DataStart, header.DataOffset);
    }

    [Fact]
    public void ReadFile_TinyModel_ReadsNoTensorData()
    {
        using var dir = new TestSupport.TempDirectory("gguf");
        var path = TestSupport.Models.TinyModels.WriteChatModel(dir.Combine("m.gguf"));
        using var counting = new CountingStream(File.OpenRead(path));

        var header = GgufReader.Read(counting);

        Assert.Equal("llama", header.GetString("general.architecture"));
        Assert.True(counting.BytesRead < header.DataOffset + GgufByteReaderBufferSize);
        Assert.True(new FileInfo(path).Length > header.DataOffset + GgufByteReaderBufferSize);
    }

    [Fact]
    public void Read_NonSeekableStream_GivesTheSameHeader()
    {
        var bytes = TestSupport.Models.TinyModels.CreateWriter(TestSupport.Models.TinyModels.ChatOptions()).ToArray();
        using var stream = new CountingStream(new MemoryStream(bytes), seekable: false);

        var header = GgufReader.Read(stream, new GgufReadOptions { LargeArrayThreshold = 10 });

        Assert.Equal(Headers.Parse(bytes).DataOffset, header.DataOffset);
        Assert.True(header.GetArray("tokenizer.ggml.tokens")!.IsSkipped);
        Assert.Equal(TestSupport.Models.TinyVocabulary.Count, header.GetArray("tokenizer.ggml.tokens")!.Count);
    }

    private const int GgufByteReaderBufferSize = 64 * 1024;
}
