using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LlamaAspire.MetadataService.Gguf;

/// <summary>
/// A cheap pre-test for the probes looked for in a skipped string array: a string can equal one only if a probe has
/// its length and its first byte. Branch-free, so the rare "maybe" is the only branch the hot loop takes.
/// </summary>
internal readonly struct ProbeFilter
{
    private readonly ulong _shortLengths;
    private readonly ulong _anyLong;
    private readonly ulong[] _firstBytes = new ulong[4];

    public ProbeFilter(byte[][] probes)
    {
        foreach (var probe in probes)
        {
            if (probe.Length >= 64) _anyLong = 1;
            else _shortLengths |= 1UL << probe.Length;
            // An empty probe is keyed by a first byte of 0, which the caller passes for an empty string.
            var first = probe.Length == 0 ? 0 : probe[0];
            _firstBytes[first >> 6] |= 1UL << (first & 63);
        }
    }

    /// <param name="length">The string's length in bytes.</param>
    /// <param name="first">Its first byte, or 0 when <paramref name="length"/> is 0.</param>
    public bool MayMatch(ulong length, byte first)
    {
        var lengthBit = length < 64 ? (_shortLengths >> (int)length) & 1 : _anyLong;
        var firstBit = (_firstBytes[first >> 6] >> (first & 63)) & 1;
        return (lengthBit & firstBit) != 0;
    }

    /// <summary>Adds to <paramref name="hits"/> the positions whose string (all inside <paramref name="window"/>) may match.</summary>
    public void Scan(ReadOnlySpan<byte> window, ReadOnlySpan<int> positions, List<int> hits)
    {
        // The filter's words in locals: the loop runs over every string of a vocabulary.
        var shortLengths = _shortLengths;
        var anyLong = _anyLong;
        var firstBytes = _firstBytes.AsSpan(0, 4);
        ref var data = ref MemoryMarshal.GetReference(window);
        foreach (var at in positions)
        {
            var length = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref data, at));
            var lengthBit = length < 64 ? (shortLengths >> (int)length) & 1 : anyLong;
            var first = length == 0 ? (byte)0 : Unsafe.Add(ref data, at + 8);
            if ((lengthBit & (firstBytes[first >> 6] >> (first & 63))) != 0) hits.Add(at);
        }
    }
}
