using System.Buffers.Binary;
using System.Text;
using LlamaAspire.MetadataService.Gguf;
using LlamaAspire.MetadataService.Tests.Support;
using LlamaAspire.TestSupport.Gguf;
using LlamaAspire.TestSupport.Models;
using WriterType = LlamaAspire.TestSupport.Gguf.GgufValueType;

namespace LlamaAspire.MetadataService.Tests.Gguf;

public sealed class GgufReaderHostileTests
{
    [Fact]
    public void Read_BadMagic_IsRejectedAtOffsetZero()
    {
        var e = Headers.Rejects(new GgufWriter { Magic = "GGML" });

        Assert.Equal(0, e.Offset);
        Assert.Contains("magic", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Version1_IsRefusedClearly()
    {
        var e = Headers.Rejects(new GgufWriter { Version = 1 }.Add("general.architecture", "llama"));

        Assert.Equal(4, e.Offset);
        Assert.Contains("version 1", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(4u)]
    [InlineData(99u)]
    public void Read_UnknownVersion_IsRefused(uint version)
    {
        var e = Headers.Rejects(new GgufWriter { Version = version });

        Assert.Equal(4, e.Offset);
        Assert.Contains("version", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_BigEndianVersion2_IsRefusedClearly()
    {
        var e = Headers.Rejects(new GgufWriter { Version = 2, BigEndian = true });

        Assert.Contains("big-endian", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(15)]
    public void Read_ShorterThanThePreamble_IsRejected(int length)
    {
        var bytes = new GgufWriter().ToArray();

        Headers.Rejects(bytes[..length]);
    }

    [Fact]
    public void Read_TruncatedAnywhereBeforeTheTensorInfosEnd_IsRejected()
    {
        var writer = TinyModels.CreateWriter(TinyModels.ChatOptions());
        using var stream = new MemoryStream();
        var layout = writer.WriteTo(stream);
        var bytes = stream.ToArray();

        for (var length = 0; length < layout.TensorInfosEnd; length++)
        {
            var e = Headers.Rejects(bytes[..length]);
            Assert.InRange(e.Offset, 0, length);
        }
    }

    [Fact]
    public void Read_TruncatedAtEachSectionBoundary_IsRejectedOrEndsTheHeader()
    {
        var writer = new GgufWriter().Add("k", "v").AddTensor("t", [4], new float[4]);
        using var stream = new MemoryStream();
        var layout = writer.WriteTo(stream);
        var bytes = stream.ToArray();

        Headers.Rejects(bytes[..(int)layout.HeaderEnd]);
        Headers.Rejects(bytes[..(int)layout.MetadataEnd]);
        Headers.Rejects(bytes[..((int)layout.TensorInfosEnd - 1)]);
        Assert.Equal(layout.DataStart, Headers.Parse(bytes[..(int)layout.TensorInfosEnd]).DataOffset);
    }

    [Fact]
    public void Read_AbsurdTensorCount_IsRejectedAtTheCount()
    {
        var e = Headers.Rejects(new GgufWriter { TensorCountOverride = ulong.MaxValue }.Add("k", 1));

        Assert.Equal(8, e.Offset);
    }

    [Fact]
    public void Read_AbsurdMetadataCount_IsRejectedAtTheCount()
    {
        var e = Headers.Rejects(new GgufWriter { MetadataCountOverride = 1UL << 40 }.Add("k", 1));

        Assert.Equal(16, e.Offset);
    }

    [Fact]
    public void Read_MoreEntriesDeclaredThanPresent_IsRejected()
    {
        Headers.Rejects(new GgufWriter { MetadataCountOverride = 3 }.Add("a", 1).Add("b", 2));
    }

    [Theory]
    [InlineData(ulong.MaxValue)]
    [InlineData(1UL << 40)]
    [InlineData(1000UL)]
    public void Read_StringLengthBeyondTheFile_IsRejectedAtTheLength(ulong declared)
    {
        var e = Headers.Rejects(new GgufWriter().Add("k", GgufValue.Text("abc"u8.ToArray(), declared)));

        Assert.Equal(24 + 8 + 1 + 4, e.Offset);
        Assert.Contains("length", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_StringLongerThanTheCap_IsRejected()
    {
        var e = Headers.Rejects(new GgufWriter().Add("k", "0123456789"), new GgufReadOptions { MaxStringLength = 4 });

        Assert.Contains("cap", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Read_ArrayCountBeyondTheFile_IsRejected(bool readLargeArrays)
    {
        var writer = new GgufWriter().Add("a", GgufValue.ArrayWithCount(WriterType.UInt32, long.MaxValue, GgufValue.From(1u)));

        var e = Headers.Rejects(writer, new GgufReadOptions { ReadLargeArrays = readLargeArrays });

        Assert.Contains("array count", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_StringArrayCountBeyondItsStrings_IsRejected()
    {
        var writer = new GgufWriter().Add("a", GgufValue.ArrayWithCount(WriterType.String, 5000, GgufValue.From("x")));

        Headers.Rejects(writer);
        Headers.Rejects(writer, GgufReadOptions.Full);
    }

    [Fact]
    public void Read_ArrayCountBeyondTheCap_IsRejected()
    {
        var writer = new GgufWriter().Add("a", new int[100]);

        var e = Headers.Rejects(writer, new GgufReadOptions { MaxArrayCount = 10 });

        Assert.Contains("cap", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnknownValueType_IsRejected()
    {
        var e = Headers.Rejects(new GgufWriter().Add("k", GgufValue.Raw((WriterType)13, [0, 0, 0, 0])));

        Assert.Contains("unknown type id 13", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnknownArrayElementType_IsRejected()
    {
        Headers.Rejects(new GgufWriter().Add("k", GgufValue.ArrayWithCount((WriterType)77, 1)).Add("pad", new byte[64]));
    }

    [Fact]
    public void Read_BoolOtherThanZeroOrOne_IsRejected()
    {
        var e = Headers.Rejects(new GgufWriter().Add("flag", GgufValue.Raw(WriterType.Bool, [2])));

        Assert.Contains("not 0 or 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DuplicateKey_IsRejected()
    {
        var e = Headers.Rejects(new GgufWriter().Add("k", 1).Add("k", 2));

        Assert.Contains("duplicate", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ArraysNestedTooDeep_AreRejected()
    {
        var value = GgufValue.Array(GgufValue.From(1));
        for (var i = 0; i < 40; i++) value = GgufValue.Array(value);

        Headers.Rejects(new GgufWriter().Add("deep", value));
        Headers.Rejects(new GgufWriter().Add("deep", value), GgufReadOptions.Full);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(3u)]
    [InlineData(48u)]
    public void Read_AlignmentNotAPowerOfTwo_IsRejected(uint alignment)
    {
        var e = Headers.Rejects(new GgufWriter().Add("general.alignment", alignment));

        Assert.Contains("general.alignment", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_AlignmentOfTheWrongType_IsRejected()
    {
        Headers.Rejects(new GgufWriter().Add("general.alignment", 32UL));
    }

    [Fact]
    public void Read_MoreThanFourDimensions_IsRejected()
    {
        var e = Headers.Rejects(new GgufWriter().AddTensor("t", [1, 1, 1, 1, 1], GgmlType.F32, []));

        Assert.Contains("5 dimensions", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1UL << 32, 1UL << 32)]
    [InlineData(ulong.MaxValue, 1UL)]
    [InlineData(3UL, 1UL << 62)]
    public void Read_ElementCountOverflow_IsRejected(ulong first, ulong second)
    {
        var e = Headers.Rejects(new GgufWriter().AddTensor("t", [first, second], GgmlType.F32, []));

        Assert.Contains("overflows", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MisalignedTensorOffset_IsRejected()
    {
        var e = Headers.Rejects(new GgufWriter().AddTensor("t", [4], GgmlType.F32, [], offset: 7));

        Assert.Contains("alignment", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DuplicateTensorName_IsRejected()
    {
        Headers.Rejects(new GgufWriter().AddTensor("t", [4], GgmlType.F32, []).AddTensor("t", [4], GgmlType.F32, []));
    }

    [Fact]
    public void Read_TensorNameLongerThanTheCap_IsRejected()
    {
        Headers.Rejects(new GgufWriter().AddTensor(new string('x', 5000), [4], GgmlType.F32, []));
    }

    [Fact]
    public void Read_RawEntryOfGarbage_IsRejected()
    {
        Headers.Rejects(new GgufWriter().AddRawEntry([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 1, 2, 3]));
    }

    [Fact]
    public void Read_RandomBytesBehindAValidPreamble_OnlyFailTyped()
    {
        var random = new Random(1234);
        for (var i = 0; i < 2000; i++)
        {
            var bytes = new byte[random.Next(8, 512)];
            random.NextBytes(bytes);
            Encoding.ASCII.GetBytes("GGUF").CopyTo(bytes, 0);
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), 3);

            Fuzzing.ParseOrFailTyped(bytes);
        }
    }
}
