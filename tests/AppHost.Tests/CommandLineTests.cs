using LlamaAspire.AppHost.Configuration;

namespace LlamaAspire.AppHost.Tests;

public sealed class CommandLineTests
{
    [Fact]
    public void Parse_UnknownFlag_ThrowsNamingIt()
    {
        var e = Assert.Throws<SettingsException>(() => CommandLine.Parse(["--models-dir", "/m", "--frobnicate", "1"]));
        Assert.Contains("--frobnicate", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_FlagWithoutValue_ThrowsNamingIt()
    {
        var e = Assert.Throws<SettingsException>(() => CommandLine.Parse(["--max-runners"]));
        Assert.Equal("--max-runners: missing value", e.Message);
    }

    [Fact]
    public void Parse_InlineAndSeparateValues_BothAccepted()
    {
        var commandLine = CommandLine.Parse(["--max-runners=3", "--host", "0.0.0.0", "--models-dir", "/a", "--models-dir=/b"]);

        Assert.Equal(
            ["--max-runners=3", "--host=0.0.0.0", "--models-dir=/a", "--models-dir=/b"],
            commandLine.Overrides.Select(o => $"{o.Setting.Flag}={o.Value}"));
    }

    [Fact]
    public void Parse_HomeAndConfig_AreFullPaths()
    {
        var commandLine = CommandLine.Parse(["--home", "relative/home", "--config", "/etc/llama.json"]);

        Assert.Equal(Path.GetFullPath("relative/home"), commandLine.Home);
        Assert.Equal("/etc/llama.json", commandLine.ConfigFile);
    }

    [Fact]
    public void Parse_Help_SetsShowHelp()
    {
        Assert.True(CommandLine.Parse(["--help"]).ShowHelp);
        Assert.Contains("--ollama-port PORT", CommandLine.HelpText(), StringComparison.Ordinal);
    }
}
