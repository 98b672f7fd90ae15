namespace LlamaAspire.AppHost.Configuration;

/// <summary>Defaults, then config.json (written on first run), then the command line.</summary>
public static class SettingsLoader
{
    public static AppHostSettings Load(CommandLine commandLine)
    {
        var settings = new AppHostSettings { Home = commandLine.Home ?? AppHostSettings.DefaultHome, ConfigFile = commandLine.ConfigFile };

        if (!File.Exists(settings.ConfigPath))
        {
            if (commandLine.ConfigFile is not null)
                throw new SettingsException($"--config: file not found: {commandLine.ConfigFile}");
            ConfigFile.WriteDefaults(settings.ConfigPath);
        }
        settings = ConfigFile.Apply(settings, settings.ConfigPath);

        // Repeated command-line folders replace the config file's list rather than adding to it.
        if (commandLine.Overrides.Any(o => o.Setting.Repeatable))
            settings = settings with { ModelsDirs = [] };

        foreach (var (setting, value) in commandLine.Overrides)
        {
            try { settings = setting.Apply(settings, value, Environment.CurrentDirectory); }
            catch (SettingsException e) { throw new SettingsException($"{setting.Flag}: {e.Message}"); }
        }
        EnsureDistinctPorts(settings);
        return settings;
    }

    private static void EnsureDistinctPorts(AppHostSettings settings)
    {
        var clash = new[]
            {
                ("ollamaPort", settings.OllamaPort), ("lmstudioPort", settings.LmStudioPort),
                ("openaiPort", settings.OpenAiPort), ("dashboardPort", settings.DashboardPort),
            }
            .GroupBy(p => p.Item2).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
            throw new SettingsException($"{string.Join(" and ", clash.Select(p => p.Item1))} are both {clash.Key}; each API needs its own port");
    }
}
