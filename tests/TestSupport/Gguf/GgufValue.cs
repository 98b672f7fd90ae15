using System.Collections;
using System.Text;

namespace LlamaAspire.TestSupport.Gguf;

/// <summary>
/// A metadata value. <see cref="From"/> maps CLR values (byte→uint8 … double→float64, T[]→array);
/// the factory methods cover what a CLR type cannot say (nested or empty arrays, lies, raw bytes).
/// </summary>
public abstract record GgufValue
{
    private protected GgufValue()
    {
    }

    public abstract GgufValueType Type { get; }

    /// <summary>Writes the payload only; the type id is written by the caller.</summary>
    internal abstract void WritePayload(GgufBinaryWriter writer);

    public static GgufValue From(object value) => value switch
    {
        GgufValue v => v,
        byte v => new GgufScalar(GgufValueType.UInt8, v),
        sbyte v => new GgufScalar(GgufValueType.Int8, v),
        ushort v => new GgufScalar(GgufValueType.UInt16, v),
        short v => new GgufScalar(GgufValueType.Int16, v),
        uint v => new GgufScalar(GgufValueType.UInt32, v),
        int v => new GgufScalar(GgufValueType.Int32, v),
        float v => new GgufScalar(GgufValueType.Float32, v),
        bool v => new GgufScalar(GgufValueType.Bool, v),
        string v => Text(v),
        ulong v => new GgufScalar(GgufValueType.UInt64, v),
        long v => new GgufScalar(GgufValueType.Int64, v),
        double v => new GgufScalar(GgufValueType.Float64, v),
        GgufValue[] items => items.Length == 0
            ? throw new ArgumentException("An empty GgufValue[] has no element type; use GgufValue.Array(type).", nameof(value))
            : new GgufArray(items[0].Type, items, null),
        Array array => FromClrArray(array),
        _ => throw new ArgumentException($"No GGUF type for {value.GetType()}.", nameof(value)),
    };

    public static GgufValue Text(string value) => new GgufString(Encoding.UTF8.GetBytes(value), null);

    /// <summary>A string whose length prefix says <paramref name="declaredLength"/> whatever the bytes are.</summary>
    public static GgufValue Text(byte[] utf8, ulong? declaredLength = null) => new GgufString(utf8, declaredLength);

    public static GgufValue Array(GgufValueType elementType, params IEnumerable<GgufValue> items) =>
        new GgufArray(elementType, [.. items], null);

    public static GgufValue Array(params IEnumerable<GgufValue> items)
    {
        GgufValue[] list = [.. items];
        return list.Length == 0
            ? throw new ArgumentException("Give the element type of an empty array.", nameof(items))
            : new GgufArray(list[0].Type, list, null);
    }

    /// <summary>An array whose count field says <paramref name="declaredCount"/> while holding <paramref name="items"/>.</summary>
    public static GgufValue ArrayWithCount(GgufValueType elementType, ulong declaredCount, params IEnumerable<GgufValue> items) =>
        new GgufArray(elementType, [.. items], declaredCount);

    /// <summary>A type id followed by verbatim payload bytes (inside an array, only the bytes are written).</summary>
    public static GgufValue Raw(GgufValueType declaredType, byte[] payload) => new GgufRaw(declaredType, payload);

    private static GgufArray FromClrArray(Array array)
    {
        var elementType = ElementTypeOf(array.GetType().GetElementType()!);
        var items = new List<GgufValue>(array.Length);
        foreach (var item in (IEnumerable)array) items.Add(From(item!));
        return new GgufArray(elementType, items, null);
    }

    private static GgufValueType ElementTypeOf(Type clr) =>
        clr == typeof(byte) ? GgufValueType.UInt8
        : clr == typeof(sbyte) ? GgufValueType.Int8
        : clr == typeof(ushort) ? GgufValueType.UInt16
        : clr == typeof(short) ? GgufValueType.Int16
        : clr == typeof(uint) ? GgufValueType.UInt32
        : clr == typeof(int) ? GgufValueType.Int32
        : clr == typeof(float) ? GgufValueType.Float32
        : clr == typeof(bool) ? GgufValueType.Bool
        : clr == typeof(string) ? GgufValueType.String
        : clr == typeof(ulong) ? GgufValueType.UInt64
        : clr == typeof(long) ? GgufValueType.Int64
        : clr == typeof(double) ? GgufValueType.Float64
        : clr.IsArray ? GgufValueType.Array
        : throw new ArgumentException($"No GGUF element type for {clr}.", nameof(clr));
}

public sealed record GgufScalar : GgufValue
{
    internal GgufScalar(GgufValueType type, object value)
    {
        Type = type;
        Value = value;
    }

    public override GgufValueType Type { get; }

    public object Value { get; }

    internal override void WritePayload(GgufBinaryWriter writer)
    {
        switch (Value)
        {
            case byte v: writer.WriteU8(v); break;
            case sbyte v: writer.WriteU8(unchecked((byte)v)); break;
            case ushort v: writer.WriteU16(v); break;
            case short v: writer.WriteU16(unchecked((ushort)v)); break;
            case uint v: writer.WriteU32(v); break;
            case int v: writer.WriteU32(unchecked((uint)v)); break;
            case float v: writer.WriteF32(v); break;
            case bool v: writer.WriteU8(v ? (byte)1 : (byte)0); break;
            case ulong v: writer.WriteU64(v); break;
            case long v: writer.WriteU64(unchecked((ulong)v)); break;
            case double v: writer.WriteF64(v); break;
            default: throw new InvalidOperationException($"Unexpected scalar {Value.GetType()}.");
        }
    }
}

public sealed record GgufString(byte[] Utf8, ulong? DeclaredLength) : GgufValue
{
    public override GgufValueType Type => GgufValueType.String;

    internal override void WritePayload(GgufBinaryWriter writer) => writer.WriteString(Utf8, DeclaredLength);
}

public sealed record GgufArray(GgufValueType ElementType, IReadOnlyList<GgufValue> Items, ulong? DeclaredCount) : GgufValue
{
    public override GgufValueType Type => GgufValueType.Array;

    internal override void WritePayload(GgufBinaryWriter writer)
    {
        writer.WriteU32((uint)ElementType);
        writer.WriteSize(DeclaredCount ?? (ulong)Items.Count);
        foreach (var item in Items) item.WritePayload(writer);
    }
}

public sealed record GgufRaw(GgufValueType DeclaredType, byte[] Payload) : GgufValue
{
    public override GgufValueType Type => DeclaredType;

    internal override void WritePayload(GgufBinaryWriter writer) => writer.WriteBytes(Payload);
}
