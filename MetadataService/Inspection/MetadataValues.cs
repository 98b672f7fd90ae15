using LlamaAspire.MetadataService.Gguf;

namespace LlamaAspire.MetadataService.Inspection;

/// <summary>Turns parsed metadata into values that serialize plainly as JSON.</summary>
public static class MetadataValues
{
    public static Dictionary<string, object> ToDictionary(GgufHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        var values = new Dictionary<string, object>(header.Metadata.Count, StringComparer.Ordinal);
        foreach (var entry in header.Metadata) values[entry.Key] = ToJsonValue(entry.Value);
        return values;
    }

    public static object ToJsonValue(object value) => value switch
    {
        GgufArray { Values: null } skipped => new ArraySummary(TypeName(skipped.ElementType), skipped.Count),
        GgufArray { Values: GgufArray[] nested } => nested.Select(ToJsonValue).ToArray(),
        GgufArray array => array.Values!,
        _ => value,
    };

    public static string TypeName(GgufValueType type) => type.ToString().ToLowerInvariant();
}
