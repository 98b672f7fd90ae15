namespace LlamaAspire.MetadataService.Gguf;

/// <summary>Everything before the tensor data of a GGUF file.</summary>
public sealed class GgufHeader
{
    private readonly Dictionary<string, GgufMetadataEntry> _byKey;

    public GgufHeader(
        uint version,
        bool isBigEndian,
        uint alignment,
        long dataOffset,
        IReadOnlyList<GgufMetadataEntry> metadata,
        IReadOnlyList<GgufTensorInfo> tensors,
        IReadOnlySet<string>? foundProbes = null)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        Version = version;
        IsBigEndian = isBigEndian;
        Alignment = alignment;
        DataOffset = dataOffset;
        Metadata = metadata;
        Tensors = tensors;
        FoundProbes = foundProbes ?? new HashSet<string>();
        _byKey = new Dictionary<string, GgufMetadataEntry>(metadata.Count, StringComparer.Ordinal);
        foreach (var entry in metadata) _byKey[entry.Key] = entry;
    }

    public uint Version { get; }

    public bool IsBigEndian { get; }

    /// <summary>general.alignment, or 32 when absent.</summary>
    public uint Alignment { get; }

    /// <summary>Absolute offset of the tensor data section: the end of the tensor infos, aligned.</summary>
    public long DataOffset { get; }

    public IReadOnlyList<GgufMetadataEntry> Metadata { get; }

    public IReadOnlyList<GgufTensorInfo> Tensors { get; }

    /// <summary>The <see cref="GgufReadOptions.Probes"/> seen in skipped string arrays.</summary>
    public IReadOnlySet<string> FoundProbes { get; }

    public object? this[string key] => _byKey.TryGetValue(key, out var entry) ? entry.Value : null;

    public bool Contains(string key) => _byKey.ContainsKey(key);

    public string? GetString(string key) => this[key] as string;

    /// <summary>Any integer type (writers vary between uint32 and uint64 for counts), as a long; null if absent or not integral.</summary>
    public long? GetInteger(string key) => this[key] switch
    {
        byte v => v,
        sbyte v => v,
        ushort v => v,
        short v => v,
        uint v => v,
        int v => v,
        ulong v when v <= long.MaxValue => (long)v,
        long v => v,
        _ => null,
    };

    public double? GetNumber(string key) => this[key] switch
    {
        float v => v,
        double v => v,
        _ => GetInteger(key),
    };

    public bool? GetBool(string key) => this[key] as bool?;

    public GgufArray? GetArray(string key) => this[key] as GgufArray;
}
