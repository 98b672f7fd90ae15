namespace LlamaAspire.MetadataService.Gguf;

/// <summary>
/// A cheap pre-test for the probes looked for in a skipped string array: a string can equal one only if a probe has
/// its length and its first byte, so most strings are dismissed without comparing bytes.
/// </summary>
internal readonly struct ProbeFilter
{
    private readonly ulong _shortLengths;
    private readonly bool _anyLong;
    private readonly bool _anyEmpty;
    private readonly ulong _first0;
    private readonly ulong _first1;
    private readonly ulong _first2;
    private readonly ulong _first3;

    public ProbeFilter(byte[][] probes)
    {
        foreach (var probe in probes)
        {
            if (probe.Length >= 64) _anyLong = true;
            else _shortLengths |= 1UL << probe.Length;
            if (probe.Length == 0)
            {
                _anyEmpty = true;
                continue;
            }

            var bit = 1UL << (probe[0] & 63);
            switch (probe[0] >> 6)
            {
                case 0: _first0 |= bit; break;
                case 1: _first1 |= bit; break;
                case 2: _first2 |= bit; break;
                default: _first3 |= bit; break;
            }
        }
    }

    /// <param name="length">The string's length in bytes.</param>
    /// <param name="first">Its first byte; ignored when <paramref name="length"/> is 0.</param>
    public bool MayMatch(int length, byte first)
    {
        if (length == 0) return _anyEmpty;
        var lengthFits = length < 64 ? ((_shortLengths >> length) & 1) != 0 : _anyLong;
        if (!lengthFits) return false;
        var word = (first >> 6) switch { 0 => _first0, 1 => _first1, 2 => _first2, _ => _first3 };
        return ((word >> (first & 63)) & 1) != 0;
    }
}
