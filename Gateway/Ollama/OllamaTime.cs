using System.Globalization;

namespace LlamaAspire.Gateway.Ollama;

/// <summary>Timestamps as Ollama writes them (Go's RFC3339Nano): fraction without trailing zeros, "Z" for UTC, else ±hh:mm.</summary>
public static class OllamaTime
{
    /// <summary>Go's largest duration (2^63-1 ns, about 292 years): Ollama's expires_at for a model kept loaded forever.</summary>
    public static readonly TimeSpan Forever = TimeSpan.FromTicks(long.MaxValue / TimeSpan.NanosecondsPerTick);

    public static string Format(DateTimeOffset value)
    {
        var text = value.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        var fraction = value.ToString("fffffff", CultureInfo.InvariantCulture).TrimEnd('0');
        if (fraction.Length > 0) text += "." + fraction;
        return text + (value.Offset == TimeSpan.Zero ? "Z" : value.ToString("zzz", CultureInfo.InvariantCulture));
    }

    /// <summary>In <paramref name="zone"/>, as Ollama shows modified_at and expires_at in the server's local offset.</summary>
    public static string Format(DateTimeOffset value, TimeZoneInfo zone) => Format(TimeZoneInfo.ConvertTime(value, zone));
}
