using LlamaAspire.AppHost.Configuration;
using LlamaAspire.TestSupport;
using LlamaAspire.TestSupport.LlamaServer;
using LlamaAspire.TestSupport.Models;
using LlamaAspire.TestSupport.Network;
using LlamaAspire.TestSupport.Processes;

namespace LlamaAspire.AppHost.Tests;

public sealed class SettingsLoaderTests : IDisposable
{
    private readonly TempDirectory _home = new();

    public void Dispose() => _home.Dispose();

    [Fact]
    public void Load_FirstRun_WritesDocumentedDefaultsThatLoadBackAsDefaults()
    {
        var settings = SettingsLoader.Load(CommandLine.Parse(["--home", _home.Path]));

        var written = File.ReadAllText(Path.Combine(_home.Path, "config.json"));
        Assert.Contains("// Folders scanned", written, StringComparison.Ordinal);
        Assert.Equal(new AppHostSettings { Home = _home.Path }, settings with { ModelsDirs = [] });
        Assert.Empty(settings.ModelsDirs);
        Assert.Equal((11434, 1234, 8080, 8035, 1), (settings.OllamaPort, settings.LmStudioPort, settings.OpenAiPort, settings.DashboardPort, settings.MaxRunners));
    }

    [Fact]
    public void Load_ConfigValues_AppliedAndCommandLineWins()
    {
        File.WriteAllText(Path.Combine(_home.Path, "config.json"), """
            {
              // comments are fine
              "modelsDirs": ["models", "/abs/models"],
              "maxRunners": 2,
              "ollamaPort": 21434,
              "logLevel": "debug",
            }
            """);

        var settings = SettingsLoader.Load(CommandLine.Parse(["--home", _home.Path, "--max-runners", "4"]));

        Assert.Equal([Path.Combine(_home.Path, "models"), "/abs/models"], settings.ModelsDirs);
        Assert.Equal(4, settings.MaxRunners);
        Assert.Equal(21434, settings.OllamaPort);
        Assert.Equal("Debug", settings.LogLevel);
    }

    [Fact]
    public void Load_CommandLineModelsDirs_ReplaceConfigList()
    {
        File.WriteAllText(Path.Combine(_home.Path, "config.json"), """{ "modelsDirs": ["/from/config"] }""");

        var settings = SettingsLoader.Load(CommandLine.Parse(["--home", _home.Path, "--models-dir", "/a", "--models-dir", "/b"]));

        Assert.Equal(["/a", "/b"], settings.ModelsDirs);
    }

    [Fact]
    public void Load_RunnerSettings_FlagsWinAndStructuredSectionsFlatten()
    {
        File.WriteAllText(Path.Combine(_home.Path, "config.json"), """
            {
              "keepAlive": "10m",
              "contextLength": 8192,
              "memoryBudgetMiB": 20000,
              "runtimes": { "cuda": "bin/llama-server" },
              "models": [ { "model": "qwen3-8b", "contextLength": 16384, "keepAlive": -1, "args": ["-ngl", "99"], "runtime": "cuda" } ]
            }
            """);

        var settings = SettingsLoader.Load(CommandLine.Parse(["--home", _home.Path, "--keep-alive", "1h30m", "--parallel", "2"]));

        Assert.Equal(("1h30m", 8192, 2, 20000L), (settings.KeepAlive, settings.ContextLength, settings.Parallel, settings.MemoryBudgetMiB));
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["Runtimes:cuda"] = Path.Combine(_home.Path, "bin", "llama-server"),
                ["Models:0:Model"] = "qwen3-8b",
                ["Models:0:ContextLength"] = "16384",
                ["Models:0:KeepAlive"] = "-1",
                ["Models:0:Args:0"] = "-ngl",
                ["Models:0:Args:1"] = "99",
                ["Models:0:Runtime"] = "cuda",
            },
            settings.RunnerSections);
    }

    [Theory]
    [InlineData("""{ "keepAlive": "soon" }""", "\"keepAlive\": expected a duration such as 5m")]
    [InlineData("""{ "models": {} }""", "\"models\": expected an array of per-model settings")]
    [InlineData("""{ "models": [ { "ctx": 1 } ] }""", "\"models\": entry 0: unknown key \"ctx\"")]
    [InlineData("""{ "models": [ { "contextLength": 1 } ] }""", "\"models\": entry 0: \"model\" must name a model id")]
    [InlineData("""{ "models": [ { "model": "a", "args": "-ngl 99" } ] }""", "\"args\" must be an array of strings")]
    [InlineData("""{ "runtimes": { "default": "/x" } }""", "\"runtimes\": runtime name 'default'")]
    public void Load_InvalidRunnerSettings_ThrowsNamingTheKey(string content, string expected)
    {
        File.WriteAllText(Path.Combine(_home.Path, "config.json"), content);

        var e = Assert.Throws<SettingsException>(() => SettingsLoader.Load(CommandLine.Parse(["--home", _home.Path])));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "maxRunners": "many" }""", "\"maxRunners\": expected an integer from 1 to 64, got 'many'")]
    [InlineData("""{ "maxRunners": 0 }""", "\"maxRunners\": expected an integer from 1 to 64, got '0'")]
    [InlineData("""{ "ollamaPort": 70000 }""", "\"ollamaPort\": expected an integer from 1 to 65535, got '70000'")]
    [InlineData("""{ "ollamaPorts": 1 }""", "unknown key \"ollamaPorts\"")]
    [InlineData("""{ "modelsDirs": "/one" }""", "\"modelsDirs\": expected an array of strings")]
    [InlineData("""{ "host": "my host" }""", "\"host\": expected an IP address")]
    [InlineData("""{ "otlpEndpoint": "collector:4317" }""", "\"otlpEndpoint\": expected an http:// or https:// URL")]
    [InlineData("""[1, 2]""", "expected a JSON object at the top level")]
    [InlineData("""{ "maxRunners": 1 """, "not valid JSON")]
    public void Load_InvalidConfig_ThrowsNamingTheKey(string content, string expected)
    {
        File.WriteAllText(Path.Combine(_home.Path, "config.json"), content);

        var e = Assert.Throws<SettingsException>(() => SettingsLoader.Load(CommandLine.Parse(["--home", _home.Path])));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.StartsWith(Path.Combine(_home.Path, "config.json"), e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--max-runners", "x", "--max-runners: expected an integer from 1 to 64, got 'x'")]
    [InlineData("--dashboard-port", "-1", "--dashboard-port: expected an integer from 1 to 65535, got '-1'")]
    [InlineData("--log-level", "loud", "--log-level: expected one of Trace, Debug, Information, Warning, Error, Critical, None, got 'loud'")]
    [InlineData("--discover-stores", "maybe", "--discover-stores: expected true or false, got 'maybe'")]
    [InlineData("--otlp-protocol", "udp", "--otlp-protocol: expected one of grpc, http/protobuf, got 'udp'")]
    public void Load_InvalidFlagValue_ThrowsNamingTheFlag(string flag, string value, string expected)
    {
        var e = Assert.Throws<SettingsException>(() => SettingsLoader.Load(CommandLine.Parse(["--home", _home.Path, flag, value])));

        Assert.Equal(expected, e.Message);
    }

    [Fact]
    public void Load_TwoApisOnOnePort_Throws()
    {
        var e = Assert.Throws<SettingsException>(() => SettingsLoader.Load(CommandLine.Parse(["--home", _home.Path, "--openai-port", "1234"])));

        Assert.Equal("lmstudioPort and openaiPort are both 1234; each API needs its own port", e.Message);
    }

    [Fact]
    public void Load_MissingExplicitConfig_Throws()
    {
        var missing = Path.Combine(_home.Path, "nope.json");

        var e = Assert.Throws<SettingsException>(() => SettingsLoader.Load(CommandLine.Parse(["--home", _home.Path, "--config", missing])));

        Assert.Equal($"--config: file not found: {missing}", e.Message);
        Assert.False(File.Exists(missing));
    }
}
