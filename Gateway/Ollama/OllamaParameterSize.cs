using System.Globalization;

namespace LlamaAspire.Gateway.Ollama;

/// <summary>
/// Ollama's <c>format.HumanNumber</c>, which /api/tags and /api/show use for <c>details.parameter_size</c>: whole billions as
/// "8B", other billions with one decimal ("7.6B"), millions with two ("494.03M"), thousands as "<n>K", else the number.
/// </summary>
public static class OllamaParameterSize
{
    private const double Thousand = 1e3;
    private const double Million = 1e6;
    private const double Billion = 1e9;

    public static string Format(long count) => count switch
    {
        >= (long)Billion => Scaled(count / Billion, 1, "B"),
        >= (long)Million => Scaled(count / Million, 2, "M"),
        >= (long)Thousand => GoFixed(count / Thousand, 0) + "K",
        _ => count.ToString(CultureInfo.InvariantCulture),
    };

    private static string Scaled(double number, int decimals, string suffix) =>
        (number == Math.Floor(number) ? GoFixed(number, 0) : GoFixed(number, decimals)) + suffix;

    /// <summary>
    /// Go's <c>%.Nf</c>: rounds the double's exact binary value, ties to even. .NET's "F" format rounds ties away from zero,
    /// so 8.25 would print "8.3" where Ollama prints "8.2"; hence the rounding is done here on the exact digits.
    /// </summary>
    internal static string GoFixed(double value, int decimals)
    {
        // "F99" is exact for these magnitudes: a double below 2^53 has at most 52 fractional binary digits, hence at most 52 decimal ones.
        var exact = value.ToString("F99", CultureInfo.InvariantCulture);
        var point = exact.IndexOf('.', StringComparison.Ordinal);
        var kept = exact[..(point + 1 + decimals)].TrimEnd('.');
        var dropped = exact[(point + 1 + decimals)..];
        var roundUp = dropped[0] > '5'
            || (dropped[0] == '5' && (dropped.AsSpan(1).ContainsAnyExcept('0') || IsOdd(kept[^1])));
        if (!roundUp) return kept;
        var scale = (decimal)Math.Pow(10, decimals);
        var rounded = decimal.Parse(kept, CultureInfo.InvariantCulture) + (1 / scale);
        return rounded.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    private static bool IsOdd(char digit) => (digit - '0') % 2 == 1;
}
