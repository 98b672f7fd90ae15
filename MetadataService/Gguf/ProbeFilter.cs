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
}
