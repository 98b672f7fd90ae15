namespace LlamaAspire.MetadataService.Gguf;

/// <summary>
/// One metadata key/value. Scalars are boxed as their CLR type (byte, sbyte, ushort, short, uint, int, float, bool,
/// ulong, long, double), strings as string, arrays as <see cref="GgufArray"/>.
/// </summary>
public sealed record GgufMetadataEntry(string Key, GgufValueType Type, object Value);
