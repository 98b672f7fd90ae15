namespace LlamaAspire.AppHost.Configuration;

/// <summary>The parsed command line: where home and config are, and the setting overrides in order.</summary>
public sealed record CommandLine(
    string? Home,
    string? ConfigFile,
    IReadOnlyList<(SettingDefinition Setting, string Value)> Overrides,
    bool ShowHelp)
{
    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        string? home = null, config = null;
        var overrides = new List<(SettingDefinition, string)>();
        var showHelp = false;

        for (var i = 0; i < args.Count; i++)
        {
            var (flag, inlineValue) = SplitFlag(args[i]);
            if (flag is "-h" or "--help") { showHelp = true; continue; }

            var setting = SettingDefinitions.All.FirstOrDefault(s => s.Flag == flag);
            if (flag is not ("--home" or "--config") && setting is null)
                throw new SettingsException($"unknown option '{args[i]}' (see --help)");

            var value = inlineValue ?? (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal)
                ? args[++i]
                : throw new SettingsException($"{flag}: missing value"));

            switch (flag)
            {
                case "--home": home = Resolve(flag, value); break;
                case "--config": config = Resolve(flag, value); break;
                default: overrides.Add((setting!, value)); break;
            }
        }
        return new CommandLine(home, config, overrides, showHelp);
    }

    public static string HelpText()
    {
        var lines = new List<string>
        {
            "Usage: dotnet run --project AppHost -- [options]",
            "",
            "  --home DIR               config.json, caches and logs (default ~/.llama-aspire)",
            "  --config FILE            config file (default <home>/config.json)",
        };
        lines.AddRange(SettingDefinitions.All.Select(s => $"  {$"{s.Flag} {s.ValueName}",-24} {s.Help}"));
        lines.Add("");
        lines.Add("Every option except --home and --config has a config.json key of the same name in camelCase.");
        return string.Join(Environment.NewLine, lines);
    }

    private static (string Flag, string? Value) SplitFlag(string arg)
    {
        var eq = arg.IndexOf('=', StringComparison.Ordinal);
        return arg.StartsWith("--", StringComparison.Ordinal) && eq > 2 ? (arg[..eq], arg[(eq + 1)..]) : (arg, null);
    }

    private static string Resolve(string flag, string value)
    {
        try { return SettingDefinitions.FullPath(value, Environment.CurrentDirectory); }
        catch (SettingsException e) { throw new SettingsException($"{flag}: {e.Message}"); }
    }
}
