using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace LlamaAspire.RunnerAgent.Scheduling;

/// <summary>
/// How long a model stays loaded after its last request, as Ollama's <c>keep_alive</c> says it: a number of seconds,
/// or a duration such as "5m", "1h30m", "250ms". Zero unloads after the request; a negative value keeps it loaded.
/// </summary>
public static partial class KeepAlive
{
    /// <summary>The duration, or <see cref="Timeout.InfiniteTimeSpan"/> for "never unload".</summary>
    public static bool TryParse(JsonElement value, out TimeSpan keepAlive, out string? error)
    {
        keepAlive = default;
        error = null;
        switch (value.ValueKind)
        {
            case JsonValueKind.Number when value.TryGetDouble(out var seconds):
                keepAlive = FromSeconds(seconds);
                return true;
            case JsonValueKind.String:
                return TryParse(value.GetString()!, out keepAlive, out error);
            default:
                error = $"keep_alive must be a duration like \"5m\" or a number of seconds, not {value.ValueKind.ToString().ToLowerInvariant()}";
                return false;
        }
    }

    public static bool TryParse(string text, out TimeSpan keepAlive, out string? error)
    {
        keepAlive = default;
        error = null;
        text = text.Trim();
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            keepAlive = FromSeconds(seconds);
            return true;
        }
        var negative = text.StartsWith('-');
        var body = negative || text.StartsWith('+') ? text[1..] : text;
        var parts = DurationPart().Matches(body);
        if (body.Length == 0 || parts.Sum(p => p.Length) != body.Length)
        {
            error = $"keep_alive '{text}' is not a duration like \"5m\", \"1h30m\" or a number of seconds";
            return false;
        }
        double total = 0;
        foreach (Match part in parts)
        {
            var amount = double.Parse(part.Groups["amount"].Value, CultureInfo.InvariantCulture);
            total += amount * part.Groups["unit"].Value switch
            {
                "ns" => 1e-9,
                "us" or "µs" => 1e-6,
                "ms" => 1e-3,
                "s" => 1,
                "m" => 60,
                _ => 3600,
            };
        }
        keepAlive = FromSeconds(negative ? -total : total);
        return true;
    }

    private static TimeSpan FromSeconds(double seconds) =>
        seconds < 0 ? Timeout.InfiniteTimeSpan
        : seconds >= TimeSpan.MaxValue.TotalSeconds / 2 ? Timeout.InfiniteTimeSpan
        : TimeSpan.FromSeconds(seconds);

    [GeneratedRegex(@"(?<amount>\d+(\.\d+)?)(?<unit>ns|us|µs|ms|s|m|h)", RegexOptions.CultureInvariant)]
    private static partial Regex DurationPart();
}
