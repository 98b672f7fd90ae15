using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace LlamaAspire.MetadataService.Gguf;

/// <summary>
/// A refillable byte window over a stream that knows how many bytes are left, so every length can be checked
/// before anything is read or allocated. Reads primitives in the file's byte order.
/// </summary>
internal sealed class GgufByteReader : IDisposable
{
    public const int BufferSize = 64 * 1024;

    private readonly Stream _stream;
    private readonly long _length;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private bool _exhausted;

    public GgufByteReader(Stream stream)
    {
        _stream = stream;
        _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        Position = stream.CanSeek ? stream.Position : 0;
        _length = stream.CanSeek ? stream.Length : long.MaxValue;
    }

    public bool BigEndian { get; set; }

    /// <summary>Absolute offset of the next unread byte.</summary>
    public long Position { get; private set; }

    public long Remaining => _length - Position;

    /// <summary>Bytes of the file not yet in the buffer.</summary>
    private long Unread => _length - Position - (_end - _start);

    public GgufFormatException Error(string reason) => new(Position, reason);

    public static GgufFormatException Error(long offset, string reason) => new(offset, reason);

    /// <summary>Makes at least <paramref name="count"/> (≤ buffer size) bytes available, or reports truncation.</summary>
    public ReadOnlySpan<byte> Peek(int count)
    {
        if (_end - _start < count) Fill(count);
        return _buffer.AsSpan(_start, count);
    }

    public void Advance(int count)
    {
        _start += count;
        Position += count;
    }

    public byte ReadU8()
    {
        var value = Peek(1)[0];
        Advance(1);
        return value;
    }

    public ushort ReadU16()
    {
        var span = Peek(2);
        var value = BigEndian ? BinaryPrimitives.ReadUInt16BigEndian(span) : BinaryPrimitives.ReadUInt16LittleEndian(span);
        Advance(2);
        return value;
    }

    public uint ReadU32()
    {
        var span = Peek(4);
        var value = BigEndian ? BinaryPrimitives.ReadUInt32BigEndian(span) : BinaryPrimitives.ReadUInt32LittleEndian(span);
        Advance(4);
        return value;
    }

    public ulong ReadU64()
    {
        var span = Peek(8);
        var value = BigEndian ? BinaryPrimitives.ReadUInt64BigEndian(span) : BinaryPrimitives.ReadUInt64LittleEndian(span);
        Advance(8);
        return value;
    }

    /// <summary>Reads a gguf string (uint64 length + UTF-8 bytes) of at most <paramref name="maxLength"/> bytes.</summary>
    public string ReadString(long maxLength, string what)
    {
        var length = ReadStringLength(maxLength, what);
        if (length <= BufferSize)
        {
            var text = Encoding.UTF8.GetString(Peek(length));
            Advance(length);
            return text;
        }

        var at = Position;
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var buffered = _end - _start;
            _buffer.AsSpan(_start, buffered).CopyTo(rented);
            _start = _end = 0;
            _stream.ReadExactly(rented, buffered, length - buffered);
            Position += length;
            return Encoding.UTF8.GetString(rented, 0, length);
        }
        catch (EndOfStreamException e)
        {
            throw new GgufFormatException(at, $"{what} ends past the end of the file", e);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Skips <paramref name="count"/> gguf strings without allocating or decoding; calls <paramref name="onProbe"/> with the
    /// index of each probe whose bytes a string equals. Long runs go through <see cref="StringArrayWalk"/> over a full
    /// buffer; the rest through a loop that keeps its cursor in locals: a string whose bytes are already buffered is
    /// proven to be inside the file, so only the length cap needs checking on that path.
    /// </summary>
    public void SkipStrings(long count, long maxLength, string what, byte[][] probes, Action<int> onProbe)
    {
        var filter = new ProbeFilter(probes);
        var probing = probes.Length > 0;
        var swap = BigEndian == BitConverter.IsLittleEndian;
        var cap = (ulong)maxLength;
        int[]? scratch = null;
        List<int>? maybeProbes = null;
        try
        {
            var start = _start;
            var end = _end;
            // After a walk that made no progress, the single loop takes this window down to half a buffer: at most one
            // failed resynchronisation per fill.
            var walkable = true;
            for (long i = 0; i < count;)
            {
                // Big-endian files (rare) keep to the single loop.
                if (!swap && count - i >= StringArrayWalk.MinCount)
                {
                    // Topping up at half a buffer keeps the walk's windows long; the tail it leaves is small.
                    if (end - start < _buffer.Length / 2 && !_exhausted && Unread > 0)
                    {
                        Commit(start);
                        TopUp();
                        start = _start;
                        end = _end;
                        walkable = true;
                    }

                    if (walkable && end - start >= StringArrayWalk.MinWindow)
                    {
                        scratch ??= ArrayPool<int>.Shared.Rent(StringArrayWalk.ScratchLength(_buffer.Length));
                        maybeProbes ??= [];
                        maybeProbes.Clear();
                        var window = _buffer.AsSpan(start, end - start);
                        var walkedBytes = StringArrayWalk.Walk(window, count - i, cap, filter, probing, scratch, maybeProbes, out var walked);
                        foreach (var at in maybeProbes) MatchProbes(window.Slice(at + 8, (int)MemoryMarshal.Read<ulong>(window[at..])), probes, onProbe);
                        start += walkedBytes;
                        i += walked;
                        if (walked > 0) continue;
                        walkable = false;
                    }
                }

                ref var data = ref MemoryMarshal.GetArrayDataReference(_buffer);
                if (end - start >= 8)
                {
                    var raw = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref data, start));
                    var length = swap ? BinaryPrimitives.ReverseEndianness(raw) : raw;
                    if (length <= cap && length <= (ulong)(end - start - 8)
                        && !(probing && filter.MayMatch(length, length == 0 ? (byte)0 : Unsafe.Add(ref data, start + 8))))
                    {
                        start += 8 + (int)length;
                        i++;
                        continue;
                    }
                }

                Commit(start);
                SkipStringChecked(maxLength, what, probes, onProbe);
                start = _start;
                end = _end;
                i++;
            }

            Commit(start);
        }
        finally
        {
            if (scratch is not null) ArrayPool<int>.Shared.Return(scratch);
        }
    }

    private static void MatchProbes(ReadOnlySpan<byte> bytes, byte[][] probes, Action<int> onProbe)
    {
        for (var p = 0; p < probes.Length; p++)
        {
            if (bytes.SequenceEqual(probes[p])) onProbe(p);
        }
    }

    /// <summary>Moves the buffered bytes to the front and fills the rest of the buffer, as far as the file goes.</summary>
    private void TopUp()
    {
        var buffered = _end - _start;
        _buffer.AsSpan(_start, buffered).CopyTo(_buffer);
        _start = 0;
        _end = buffered;
        var wanted = (int)Math.Min(_buffer.Length, buffered + Remaining);
        while (_end < wanted)
        {
            var read = _stream.Read(_buffer, _end, wanted - _end);
            if (read == 0)
            {
                _exhausted = true;
                break;
            }

            _end += read;
        }
    }

    private void Commit(int start)
    {
        Position += start - _start;
        _start = start;
    }

    private void SkipStringChecked(long maxLength, string what, byte[][] probes, Action<int> onProbe)
    {
        var length = ReadStringLength(maxLength, what);
        if (length > BufferSize)
        {
            Skip(length);
            return;
        }

        MatchProbes(Peek(length), probes, onProbe);
        Advance(length);
    }

    public void Skip(long count)
    {
        if (count > Remaining) throw Error($"skipping {count} bytes runs past the end of the file ({Remaining} left)");
        var buffered = _end - _start;
        if (count <= buffered)
        {
            Advance((int)count);
            return;
        }

        _start = _end = 0;
        Position += count;
        if (_stream.CanSeek)
        {
            _stream.Position = Position;
            return;
        }

        var toDiscard = count - buffered;
        while (toDiscard > 0)
        {
            var read = _stream.Read(_buffer, 0, (int)Math.Min(toDiscard, _buffer.Length));
            if (read == 0) throw Error("unexpected end of file");
            toDiscard -= read;
        }
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    private int ReadStringLength(long maxLength, string what)
    {
        var at = Position;
        var length = ReadU64();
        if (length > (ulong)maxLength) throw Error(at, $"{what} length {length} exceeds the cap of {maxLength} bytes");
        if (length > (ulong)Remaining) throw Error(at, $"{what} length {length} runs past the end of the file ({Remaining} bytes left)");
        return (int)length;
    }

    private void Fill(int count)
    {
        if (count > Remaining) throw Error($"unexpected end of file: {count} bytes needed, {Math.Max(Remaining, 0)} left");
        var buffered = _end - _start;
        if (_start > 0)
        {
            _buffer.AsSpan(_start, buffered).CopyTo(_buffer);
            _start = 0;
            _end = buffered;
        }

        while (_end < count)
        {
            var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (read == 0) throw Error($"unexpected end of file: {count} bytes needed, {_end} left");
            _end += read;
        }
    }
}
