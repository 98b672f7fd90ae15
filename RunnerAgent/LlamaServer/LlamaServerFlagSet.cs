using System.Globalization;

namespace LlamaAspire.RunnerAgent.LlamaServer;

/// <summary>The flags one llama-server binary knows, from its --help, and its version.</summary>
public sealed class LlamaServerFlagSet(string binary, IReadOnlySet<string> flags, LlamaServerVersion? version)
{
    /// <summary>Flags llama.cpp dropped, and what replaces them when this binary has the replacement.</summary>
    private static readonly Dictionary<string, (string Replacement, string Hint)> Removed = new(StringComparer.Ordinal)
    {
        ["--mlock"] = ("--load-mode", "use --load-mode mlock"),
        ["--no-mmap"] = ("--load-mode", "use --load-mode none"),
        ["--mmap"] = ("--load-mode", "use --load-mode mmap"),
        ["-dio"] = ("--load-mode", "use --load-mode dio"),
        ["--direct-io"] = ("--load-mode", "use --load-mode dio"),
    };

    public string Binary { get; } = binary;

    public IReadOnlySet<string> Flags { get; } = flags;

    public LlamaServerVersion? Version { get; } = version;

    public bool Knows(string flag) => Flags.Contains(flag);

    /// <summary>
    /// The flags in <paramref name="arguments"/> this binary does not know, in order, each once. A token is a flag when it
    /// starts with '-' and a letter, so values such as -1 are skipped; llama.cpp has no --flag=value form, so neither has this.
    /// </summary>
    public IReadOnlyList<string> UnknownFlags(IEnumerable<string> arguments) =>
        [.. arguments.Where(IsFlag).Where(flag => !Knows(flag)).Distinct(StringComparer.Ordinal)];

    /// <summary>Null when every flag is known; else one message naming each unknown flag and the binary.</summary>
    public string? Problem(IEnumerable<string> arguments, string source = "the model's args")
    {
        var unknown = UnknownFlags(arguments);
        if (unknown.Count == 0) return null;
        var named = string.Join(", ", unknown.Select(Describe));
        var version = Version is null ? "" : $" (version {Version})";
        return unknown.Count == 1
            ? $"llama-server at {Binary}{version} does not know {named}; remove it from {source}"
            : $"llama-server at {Binary}{version} does not know {named}; remove them from {source}";
    }

    private string Describe(string flag) =>
        Removed.TryGetValue(flag, out var removed)
            ? Knows(removed.Replacement) ? $"{flag} (removed in recent llama.cpp; {removed.Hint})" : $"{flag} (removed in recent llama.cpp)"
            : flag;

    private static bool IsFlag(string token) =>
        token.Length > 1 && token[0] == '-'
        && (char.IsAsciiLetter(token[1]) || (token[1] == '-' && token.Length > 2 && char.IsAsciiLetter(token[2])))
        && !double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
}
