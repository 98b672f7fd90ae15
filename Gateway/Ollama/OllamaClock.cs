using System.Globalization;

namespace LlamaAspire.Gateway.Ollama;

/// <summary>Ollama's time formats: created_at in UTC RFC 3339 (trailing zero digits trimmed), durations in nanoseconds.</summary>
public static class OllamaClock
{
    public static string CreatedAt(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
    }

    public static long Nanoseconds(TimeSpan duration) => duration.Ticks * 100;

    public static long NanosecondsFromMilliseconds(double milliseconds) => (long)Math.Round(milliseconds * 1_000_000);
}
