using LlamaAspire.MetadataService.Gguf;
using LlamaAspire.MetadataService.Tests.Support;
using LlamaAspire.TestSupport.Gguf;
using WriterType = LlamaAspire.TestSupport.Gguf.GgufValueType;

namespace LlamaAspire.MetadataService.Tests.Gguf;

/// <summary>Seeded mutations of valid files: every outcome must be a header or a GgufFormatException.</summary>
public sealed class GgufReaderFuzzTests
{
    private const int Iterations = 6000;

    // A low threshold sends the small arrays down the skipping path as well.
    private static readonly GgufReadOptions Skipping = new() { LargeArrayThreshold = 2, Probes = ["b", "<|fim_prefix|>"], ProbedKey = "tokens" };

    public static TheoryData<int, bool, bool> Seeds => new()
    {
        { 1, false, false },
        { 2, false, true },
        { 3, true, false },
        { 4, true, true },
    };

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Read_MutatedValidFiles_OnlySucceedOrFailTyped(int seed, bool bigEndian, bool readEverything)
    {
        var original = SampleFile(bigEndian);
        Assert.True(Fuzzing.ParseOrFailTyped(original));
        var random = new Random(seed);
        var options = readEverything ? GgufReadOptions.Full : Skipping;

        var parsed = 0;
        for (var i = 0; i < Iterations; i++)
        {
            if (Fuzzing.ParseOrFailTyped(Mutate(original, random), options)) parsed++;
        }

        Assert.InRange(parsed, 0, Iterations);
    }

    private static byte[] SampleFile(bool bigEndian) => new GgufWriter { BigEndian = bigEndian }
        .Add("general.architecture", "llama")
        .Add("general.name", "fuzz")
        .WithAlignment(64)
        .Add("u8", (byte)1).Add("i8", (sbyte)-1).Add("u16", (ushort)2).Add("i16", (short)-2)
        .Add("u32", 3u).Add("i32", -3).Add("f32", 1.5f).Add("bool", true).Add("u64", 4UL).Add("i64", -4L).Add("f64", 2.5)
        .Add("tokens", new[] { "a", "b", "<|fim_prefix|>", "" })
        .Add("scores", new[] { 0f, -1f, -2f })
        .Add("flags", new[] { true, false, true })
        .Add("nested", GgufValue.Array(GgufValue.Array(GgufValue.From(1), GgufValue.From(2)), GgufValue.Array(WriterType.Int32)))
        .Add("empty", GgufValue.Array(WriterType.String))
        .AddTensor("token_embd.weight", [4, 3], new float[12])
        .AddTensor("blk.0.attn_q.weight", [2, 2, 2, 2], GgmlType.F16, new byte[32])
        .ToArray();

    private static byte[] Mutate(byte[] original, Random random)
    {
#pragma warning disable CA5394 // Seeded fuzzing, not security.
        var bytes = original.ToList();
        var edits = random.Next(1, 4);
        for (var e = 0; e < edits && bytes.Count > 0; e++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 2:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 3:
                    var garbage = new byte[random.Next(1, 16)];
                    random.NextBytes(garbage);
                    bytes.InsertRange(at, garbage);
                    break;
                default:
                    // Counts and lengths are 8 bytes wide: overwrite one with something large.
                    var value = BitConverter.GetBytes(random.NextInt64() >> random.Next(64));
                    for (var b = 0; b < value.Length && at + b < bytes.Count; b++) bytes[at + b] = value[b];
                    break;
            }
        }
#pragma warning restore CA5394

        return [.. bytes];
    }
}
