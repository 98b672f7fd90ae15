using System.Globalization;
using System.Text.RegularExpressions;

namespace LlamaAspire.RunnerAgent.LlamaServer;

/// <summary>
/// From `llama-server --version` (printed on stderr): upstream llama.cpp says "version: 6123 (abcdef12)",
/// other builds "version: 0.5.0-dev (build 1, commit de3ff81)".
/// </summary>
public sealed partial record LlamaServerVersion(string Version, string? Detail)
{
    /// <summary>llama.cpp's build number: the version itself upstream, or "build N" in the detail.</summary>
    public int? BuildNumber =>
        int.TryParse(Version, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
        : Detail is not null && BuildInDetail().Match(Detail) is { Success: true } m ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)
        : null;

    public override string ToString() => Detail is null ? Version : $"{Version} ({Detail})";

    /// <summary>Null when no "version:" line is found.</summary>
    public static LlamaServerVersion? Parse(string output)
    {
        var match = VersionLine().Match(output);
        return match.Success
            ? new LlamaServerVersion(match.Groups["version"].Value, match.Groups["detail"] is { Success: true } d ? d.Value : null)
            : null;
    }

    [GeneratedRegex(@"^version: (?<version>\S+)(?: \((?<detail>[^)]*)\))?", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex VersionLine();

    [GeneratedRegex(@"\bbuild (\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex BuildInDetail();
}
