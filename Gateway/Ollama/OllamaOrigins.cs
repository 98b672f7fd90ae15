namespace LlamaAspire.Gateway.Ollama;

/// <summary>
/// Which browser origins may call the Ollama API: Ollama's OLLAMA_ORIGINS defaults (localhost, 127.0.0.1 and 0.0.0.0 over
/// http/https on any port, and the app://, file://, tauri://, vscode-webview:// and vscode-file:// schemes), plus configured
/// patterns in the same syntax, where one '*' matches any run of characters (gin-contrib/cors' AllowWildcard).
/// </summary>
public static class OllamaOrigins
{
    public static readonly IReadOnlyList<string> Defaults = BuildDefaults();

    public static bool IsAllowed(string origin, IEnumerable<string> extraPatterns)
    {
        ArgumentNullException.ThrowIfNull(origin);
        ArgumentNullException.ThrowIfNull(extraPatterns);
        return Defaults.Concat(extraPatterns).Any(pattern => Matches(pattern, origin));
    }

    /// <summary>A configured pattern: "*" alone, or scheme://rest with at most one '*'.</summary>
    public static bool IsValidPattern(string pattern) =>
        !string.IsNullOrWhiteSpace(pattern)
        && (pattern == "*" || (pattern.Contains("://", StringComparison.Ordinal) && pattern.Count(c => c == '*') <= 1));

    public static bool Matches(string pattern, string origin)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(origin);
        if (pattern == "*") return true;
        var star = pattern.IndexOf('*', StringComparison.Ordinal);
        if (star < 0) return string.Equals(pattern, origin, StringComparison.OrdinalIgnoreCase);
        var prefix = pattern[..star];
        var suffix = pattern[(star + 1)..];
        return origin.Length >= prefix.Length + suffix.Length
            && origin.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
            && origin.EndsWith(suffix, StringComparison.OrdinalIgnoreCase);
    }

    private static string[] BuildDefaults()
    {
        string[] hosts = ["localhost", "127.0.0.1", "0.0.0.0"];
        string[] schemes = ["http", "https"];
        string[] ports = ["", ":*"];
        return
        [
            .. from host in hosts from scheme in schemes from port in ports select $"{scheme}://{host}{port}",
            "app://*", "file://*", "tauri://*", "vscode-webview://*", "vscode-file://*",
        ];
    }
}
