using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace LlamaAspire.Gateway.Ollama;

/// <summary>
/// keep_alive: a number of seconds or a Go duration string ("5m", "1h30m", "-1m"). Zero unloads; a negative value
/// keeps the model loaded for good and is returned as <see cref="TimeSpan.MaxValue"/>.
/// </summary>
public static partial class OllamaKeepAlive
{
    public static bool TryParse(JsonElement? raw, out TimeSpan? keepAlive, out string? error)
    {
        keepAlive = null;
        error = null;
        switch (raw)
        {
            case null or { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined }:
                return true;
            case { ValueKind: JsonValueKind.Number } number:
                keepAlive = FromSeconds(number.GetDouble());
                return true;
            case { ValueKind: JsonValueKind.String } text:
                var s = text.GetString()!;
                if (TryParseGoDuration(s, out var d)) keepAlive = d < TimeSpan.Zero ? TimeSpan.MaxValue : d;
                // Ollama falls back to a bare number of seconds in a string ("300").
                else if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)) keepAlive = FromSeconds(seconds);
                else
                {
                    error = $"time: invalid duration \"{s}\"";
                    return false;
                }
                return true;
            default:
                error = $"Unsupported type: '{(raw.Value.ValueKind is JsonValueKind.True or JsonValueKind.False ? "bool" : raw.Value.ValueKind.ToString().ToLowerInvariant())}'";
                return false;
        }
    }

    public static bool IsUnload(TimeSpan? keepAlive) => keepAlive == TimeSpan.Zero;

    private static TimeSpan FromSeconds(double seconds) =>
        seconds < 0 ? TimeSpan.MaxValue
        : seconds >= TimeSpan.MaxValue.TotalSeconds ? TimeSpan.MaxValue
        : TimeSpan.FromSeconds(seconds);

    /// <summary>Go's time.ParseDuration: an optional sign, then number+unit pairs; "0" alone is allowed.</summary>
    public static bool TryParseGoDuration(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var match = GoDuration().Match(text);
        if (!match.Success) return false;
        if (match.Groups["zero"].Success) return true;
        double ticks = 0;
        var parts = match.Groups["value"].Captures;
        var units = match.Groups["unit"].Captures;
        for (var i = 0; i < parts.Count; i++)
        {
            var value = double.Parse(parts[i].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
            ticks += value * units[i].Value switch
            {
                "ns" => 0.01,
                "us" or "µs" or "μs" => TimeSpan.TicksPerMicrosecond,
                "ms" => TimeSpan.TicksPerMillisecond,
                "s" => TimeSpan.TicksPerSecond,
                "m" => TimeSpan.TicksPerMinute,
                _ => TimeSpan.TicksPerHour,
            };
        }
        if (match.Groups["sign"].Value == "-") ticks = -ticks;
        if (Math.Abs(ticks) >= long.MaxValue) return false;
        duration = TimeSpan.FromTicks((long)ticks);
        return true;
    }

    [GeneratedRegex(@"^(?<sign>[-+]?)(?:(?<zero>0)|(?:(?<value>\d+(?:\.\d*)?|\.\d+)(?<unit>ns|us|µs|μs|ms|s|m|h))+)$", RegexOptions.CultureInvariant)]
    private static partial Regex GoDuration();
}
