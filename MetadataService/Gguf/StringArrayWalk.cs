using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LlamaAspire.MetadataService.Gguf;

/// <summary>
/// Walks a run of little-endian gguf strings (uint64 length + bytes) inside a buffered window with four cursors at
/// once. One walk is a chain of dependent loads (each string's offset needs the previous length), so a single cursor
/// waits on load latency; four independent chains in one loop overlap those waits on one core.
/// <para>
/// Cursor 0 starts at the known first string and is the only one trusted. Cursors 1–3 start at guessed offsets (a
/// quarter, half and three quarters into the window), resynchronised to a position from which several steps are
/// valid, and record every position they step through. A speculative record is used only from a position the trusted
/// walk lands on exactly: the walk is deterministic, so from a shared position on both visit the same positions.
/// A bad guess costs only speed, never correctness: a record the trusted walk never lands on is dropped.
/// </para>
/// Every step, trusted or not, checks its length against the cap and the bytes left in the window, so no cursor reads
/// outside it. A string that does not fit or is invalid ends that cursor's record; the caller's checked path takes
/// over from the trusted position and reports any error exactly as a sequential walk would.
/// </summary>
internal static class StringArrayWalk
{
    /// <summary>Below this many buffered bytes the caller's single-cursor loop is cheaper.</summary>
    public const int MinWindow = 16 * 1024;

    /// <summary>Below this many strings left the caller's single-cursor loop is cheaper.</summary>
    public const long MinCount = 256;

    // A speculative start must survive this many valid steps; bytes of text read as a length are almost always huge.
    private const int SyncSteps = 8;
    private const int SyncScan = 512;

    /// <summary>Scratch ints needed for a window of <paramref name="windowLength"/> bytes.</summary>
    public static int ScratchLength(int windowLength) => (5 * Stride(windowLength)) + 4;

    // Cursor 0 stops once it reaches cursor 1's start (before a quarter of the window + SyncScan) at ≥ 8 bytes a
    // step, so a record of this many ints holds every position plus the end.
    private static int Stride(int windowLength) => ((windowLength / 4) + SyncScan) / 8 + 3;

    /// <summary>
    /// Walks at most <paramref name="maxCount"/> strings from the start of <paramref name="window"/>.
    /// Returns the bytes walked; <paramref name="walked"/> is the number of strings (0 when no resynchronisation was
    /// found or the first string does not fit). Offsets of walked strings that may equal a probe are added to
    /// <paramref name="maybeProbes"/>.
    /// </summary>
    public static int Walk(
        ReadOnlySpan<byte> window, long maxCount, ulong cap, ProbeFilter filter, bool probing,
        int[] scratch, List<int> maybeProbes, out long walked)
    {
        walked = 0;
        var end = window.Length;
        ref var data = ref MemoryMarshal.GetReference(window);
        var quarter = end / 4;
        // With the cap at least the window's size, fitting in the window is the whole check.
        // The array must not end within cursor 0's stretch: it walks unchecked by count.
        var stride = Stride(end);
        if (cap < (ulong)end || maxCount < stride) return 0;
        var c1 = Sync(ref data, end, quarter);
        var c2 = Sync(ref data, end, 2 * quarter);
        var c3 = Sync(ref data, end, 3 * quarter);
        if (c1 <= 0 || c2 <= c1 || c3 <= c2) return 0;

        // Records of cursors 0–3, then a parking area: cursor j writes its k-th position at j * stride + k. A cursor
        // that meets an invalid or unfinished string ends its record there (its step count goes to a slot after the
        // parking area) and is parked: it replays cursor 0's steps from the window start (valid: cursor 0 took each of
        // them no later than this round) into the parking area, so the loop needs no per-cursor liveness tests.
        // Cursor 0 moves ≥ 8 bytes a round and stops at c1, so rounds stay below stride - 1 (see Stride).
        ref var record = ref MemoryMarshal.GetArrayDataReference(scratch);
        var last = end - 8;
        int p0 = 0, p1 = c1, p2 = c2, p3 = c3;
        int o1 = stride, o2 = 2 * stride, o3 = 3 * stride;
        var rounds = 0;
        while (p0 < c1)
        {
            if (!Fits(ref data, last, p0, out var l0)) break;
            Unsafe.Add(ref record, rounds) = p0;
            p0 += 8 + (int)l0;

            if (!Fits(ref data, last, p1, out var l1))
            {
                (Unsafe.Add(ref record, o1 + rounds), Unsafe.Add(ref record, (5 * stride) + 1)) = (p1, rounds);
                (o1, p1, l1) = (4 * stride, 0, Unsafe.ReadUnaligned<ulong>(ref data));
            }

            Unsafe.Add(ref record, o1 + rounds) = p1;
            p1 += 8 + (int)l1;

            if (!Fits(ref data, last, p2, out var l2))
            {
                (Unsafe.Add(ref record, o2 + rounds), Unsafe.Add(ref record, (5 * stride) + 2)) = (p2, rounds);
                (o2, p2, l2) = (4 * stride, 0, Unsafe.ReadUnaligned<ulong>(ref data));
            }

            Unsafe.Add(ref record, o2 + rounds) = p2;
            p2 += 8 + (int)l2;

            if (!Fits(ref data, last, p3, out var l3))
            {
                (Unsafe.Add(ref record, o3 + rounds), Unsafe.Add(ref record, (5 * stride) + 3)) = (p3, rounds);
                (o3, p3, l3) = (4 * stride, 0, Unsafe.ReadUnaligned<ulong>(ref data));
            }

            Unsafe.Add(ref record, o3 + rounds) = p3;
            p3 += 8 + (int)l3;

            rounds++;
        }

        // Each record ends with the position after its last valid step: n + 1 strictly increasing positions.
        scratch[rounds] = p0;
        var n1 = End(scratch, stride, 1, o1, rounds, p1);
        var n2 = End(scratch, stride, 2, o2, rounds, p2);
        var n3 = End(scratch, stride, 3, o3, rounds, p3);

        // Stitch: the trusted position moves on through every record it lands on exactly.
        Span<int> usedFrom = [0, 0, 0, 0];
        Span<int> usedCount = [rounds, 0, 0, 0];
        var position = p0;
        walked = rounds;
        if (p0 >= c1)
        {
            Link(scratch.AsSpan(stride, n1 + 1), ref position, ref walked, maxCount, out usedFrom[1], out usedCount[1]);
            Link(scratch.AsSpan(2 * stride, n2 + 1), ref position, ref walked, maxCount, out usedFrom[2], out usedCount[2]);
            Link(scratch.AsSpan(3 * stride, n3 + 1), ref position, ref walked, maxCount, out usedFrom[3], out usedCount[3]);
        }

        // The used stretches of the records are the trusted walk's positions, each once, in order.
        if (probing)
        {
            for (var cursor = 0; cursor < 4; cursor++)
            {
                filter.Scan(window, scratch.AsSpan((cursor * stride) + usedFrom[cursor], usedCount[cursor]), maybeProbes);
            }
        }

        return position;
    }

    /// <summary>The number of valid steps in cursor <paramref name="cursor"/>'s record, after writing its end if it is still live.</summary>
    private static int End(int[] scratch, int stride, int cursor, int offset, int rounds, int position)
    {
        if (offset == 4 * stride) return scratch[(5 * stride) + cursor];
        scratch[(cursor * stride) + rounds] = position;
        return rounds;
    }

    private static void Link(ReadOnlySpan<int> record, ref int position, ref long walked, long maxCount, out int from, out int count)
    {
        from = 0;
        count = 0;
        if (walked >= maxCount) return;
        // Every step moves at least 8 bytes, so a record is sorted.
        var k = record.BinarySearch(position);
        if (k < 0) return;
        var take = (int)Math.Min(record.Length - 1 - k, maxCount - walked);
        from = k;
        count = take;
        position = record[k + take];
        walked += take;
    }

    /// <summary>The first offset at or after <paramref name="from"/> from which <see cref="SyncSteps"/> steps are valid, or -1.</summary>
    private static int Sync(ref byte data, int end, int from)
    {
        var scanEnd = Math.Min(from + SyncScan, end);
        for (var candidate = from; candidate < scanEnd; candidate++)
        {
            var p = candidate;
            var steps = 0;
            while (steps < SyncSteps && Fits(ref data, end - 8, p, out var length))
            {
                p += 8 + (int)length;
                steps++;
            }

            if (steps == SyncSteps) return candidate;
        }

        return -1;
    }

    /// <summary>The length at <paramref name="p"/>, if the whole string lies inside the window (<paramref name="last"/> = its length - 8).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Fits(ref byte data, int last, int p, out ulong length)
    {
        length = 0;
        if (p > last) return false;
        length = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref data, p));
        return length <= (ulong)(last - p);
    }
}
