using System.Text;
using LlamaAspire.MetadataService.Gguf;
using LlamaAspire.MetadataService.Tests.Support;
using LlamaAspire.TestSupport.Gguf;

namespace LlamaAspire.MetadataService.Tests.Gguf;

/// <summary>
/// Skipping a big string array walks it with speculative cursors that resynchronise mid-array; these compare that walk
/// with the full parse, which decodes every string in order, on arrays built to mislead a resynchronisation (strings of
/// zero and small bytes that read like length fields) and on mutations of them.
/// </summary>
public sealed class GgufReaderStringWalkTests
{
    private static readonly string[] Probes = ["<|fim_prefix|>", "<|fim_suffix|>", "\0\0\0\0\0\0\0\0", "a", ""];

    private static readonly GgufReadOptions Skipping = new() { Probes = Probes, ProbedKey = "tokens" };

    // Full parses decode everything; FoundProbes is only filled by skipping, so the expected set comes from the strings.
    private static readonly GgufReadOptions Full = GgufReadOptions.Full;

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(3, true)]
    [InlineData(4, false)]
    public void Read_LargeSkippedStringArrays_MatchTheFullParse(int seed, bool bigEndian)
    {
        var random = new Random(seed);
        var tokens = Strings(random, 60_000, withProbes: true);
        var merges = Strings(random, 90_000, withProbes: false);
        var bytes = File(tokens, merges, bigEndian);

        var skipped = Headers.Parse(bytes, Skipping);
        var full = Headers.Parse(bytes, Full);

        Assert.True(skipped.GetArray("tokens")!.IsSkipped);
        Assert.Equal(tokens.Length, skipped.GetArray("tokens")!.Count);
        Assert.Equal(merges.Length, skipped.GetArray("merges")!.Count);
        Assert.Equal(tokens, full.GetArray("tokens")!.Values);
        Assert.Equal(merges, full.GetArray("merges")!.Values);
        Assert.Equal("after", skipped.GetString("after"));
        Assert.Equal(full.DataOffset, skipped.DataOffset);
        Assert.Equal(Probes.Where(tokens.Contains).Order(StringComparer.Ordinal), skipped.FoundProbes.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Read_ProbesOnlyInTheLastStrings_AreFound()
    {
        var random = new Random(5);
        var tokens = Strings(random, 50_000, withProbes: false);
        tokens[^1] = "<|fim_suffix|>";
        tokens[^3000] = "<|fim_prefix|>";

        var options = new GgufReadOptions { Probes = ["<|fim_prefix|>", "<|fim_suffix|>"], ProbedKey = "tokens" };

        var header = Headers.Parse(File(tokens, ["x"], bigEndian: false), options);

        Assert.Equal(["<|fim_prefix|>", "<|fim_suffix|>"], header.FoundProbes.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Read_LargeSkippedStringArraysFromANonSeekableStream_GiveTheSameHeader()
    {
        var random = new Random(6);
        var tokens = Strings(random, 40_000, withProbes: true);
        var bytes = File(tokens, Strings(random, 40_000, withProbes: false), bigEndian: false);
        using var stream = new CountingStream(new MemoryStream(bytes), seekable: false);

        var header = GgufReader.Read(stream, Skipping);

        Assert.Equal(Headers.Parse(bytes, Full).DataOffset, header.DataOffset);
        Assert.Equal("after", header.GetString("after"));
        Assert.Equal(Probes.Where(tokens.Contains).Order(StringComparer.Ordinal), header.FoundProbes.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public void Read_MutatedLargeStringArrays_FailOrSucceedExactlyAsTheFullParse(int seed)
    {
        var random = new Random(seed);
        var original = File(Strings(random, 20_000, withProbes: true), Strings(random, 20_000, withProbes: false), bigEndian: false);
        for (var i = 0; i < 60; i++)
        {
            var bytes = Mutate(original, random);

            var skipped = Outcome(bytes, Skipping);
            var full = Outcome(bytes, Full);

            Assert.Equal(full.Offset, skipped.Offset);
            Assert.Equal(full.DataOffset, skipped.DataOffset);
        }
    }

    private static (long? Offset, long? DataOffset) Outcome(byte[] bytes, GgufReadOptions options)
    {
        try
        {
            return (null, Headers.Parse(bytes, options).DataOffset);
        }
        catch (GgufFormatException e)
        {
            return (e.Offset, null);
        }
    }

    /// <summary>Short strings over an alphabet heavy in zero and small bytes, so text often reads like a length field.</summary>
    private static string[] Strings(Random random, int count, bool withProbes)
    {
#pragma warning disable CA5394 // Seeded test data, not security.
        const string alphabet = "\0\0\0\u0001\u0002\u0008\u0010ab<|é";
        var strings = new string[count];
        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            text.Clear();
            var length = random.Next(10) == 0 ? random.Next(40, 300) : random.Next(0, 14);
            for (var c = 0; c < length; c++) text.Append(alphabet[random.Next(alphabet.Length)]);
            strings[i] = text.ToString();
        }

        if (withProbes)
        {
            foreach (var probe in Probes) strings[random.Next(count)] = probe;
        }
#pragma warning restore CA5394

        return strings;
    }

    private static byte[] File(string[] tokens, string[] merges, bool bigEndian) => new GgufWriter { BigEndian = bigEndian }
        .Add("general.architecture", "llama")
        .Add("tokens", tokens)
        .Add("merges", merges)
        .Add("after", "after")
        .AddTensor("w", [4], new float[4])
        .ToArray();

    /// <summary>One to three edits inside the arrays: bit flips, stray bytes, a length overwritten with something large.</summary>
    private static byte[] Mutate(byte[] original, Random random)
    {
#pragma warning disable CA5394 // Seeded fuzzing, not security.
        var bytes = (byte[])original.Clone();
        var edits = random.Next(1, 4);
        for (var e = 0; e < edits; e++)
        {
            var at = random.Next(64, bytes.Length - 64);
            switch (random.Next(3))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes[at] = (byte)random.Next(256);
                    break;
                default:
                    BitConverter.GetBytes(random.NextInt64() >> random.Next(64)).CopyTo(bytes, at);
                    break;
            }
        }
#pragma warning restore CA5394

        return bytes;
    }
}
