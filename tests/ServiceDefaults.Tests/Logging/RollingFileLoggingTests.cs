using LlamaAspire.ServiceDefaults.Logging;
using LlamaAspire.ServiceDefaults.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LlamaAspire.ServiceDefaults.Tests.Logging;

public sealed class RollingFileLoggingTests : IDisposable
{
    private readonly TempDirectory _logs = new();

    public void Dispose() => _logs.Dispose();

    [Fact]
    public void AddServiceDefaults_LogDirectorySet_WritesFileNamedAfterOtelServiceName()
    {
        WriteLogs(new Dictionary<string, string?> { ["OTEL_SERVICE_NAME"] = "metadata" }, logger => TestLog.Info(logger, "scan finished"));

        Assert.Contains(File.ReadAllLines(_logs.File("metadata.log")), line => line.EndsWith(" scan finished", StringComparison.Ordinal));
    }

    [Fact]
    public void AddServiceDefaults_NoServiceName_NamesFileAfterApplication()
    {
        var applicationName = WriteLogs([], logger => TestLog.Info(logger, "hello"));

        Assert.True(File.Exists(_logs.File(applicationName + ".log")));
    }

    [Fact]
    public void AddServiceDefaults_ConsoleOnlyLevel_DoesNotAffectTheFile()
    {
        WriteLogs(
            new Dictionary<string, string?> { ["OTEL_SERVICE_NAME"] = "svc", ["Logging:Console:LogLevel:Default"] = "None" },
            logger => TestLog.Info(logger, "still in file"));

        Assert.Contains(File.ReadAllLines(_logs.File("svc.log")), line => line.Contains("still in file", StringComparison.Ordinal));
    }

    [Fact]
    public void AddServiceDefaults_FileLevelConfigured_FiltersTheFile()
    {
        WriteLogs(
            new Dictionary<string, string?> { ["OTEL_SERVICE_NAME"] = "svc", ["Logging:File:LogLevel:Default"] = "Warning" },
            logger =>
            {
                TestLog.Info(logger, "chatter");
                TestLog.Warning(logger, "important");
            });

        var lines = File.ReadAllLines(_logs.File("svc.log"));
        Assert.DoesNotContain(lines, line => line.Contains("chatter", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("important", StringComparison.Ordinal));
    }

    [Fact]
    public void AddServiceDefaults_LogDirectoryUnset_AddsNoFileLogger()
    {
        var builder = HostFactory.CreateHostBuilder();
        builder.AddServiceDefaults();
        using var host = builder.Build();

        Assert.DoesNotContain(host.Services.GetServices<ILoggerProvider>(), provider => provider is RollingFileLoggerProvider);
    }

    [Theory]
    [InlineData("LlamaAspire:LogFileSizeLimitBytes", "10")]
    [InlineData("LlamaAspire:LogRetainedFileCount", "0")]
    public void ReadOptions_OutOfRangeLimits_Throw(string key, string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["LlamaAspire:LogDirectory"] = _logs.Path,
            [key] = value,
        }).Build();

        Assert.Throws<InvalidOperationException>(() => RollingFileLoggingExtensions.ReadOptions(configuration, "app"));
    }

    [Fact]
    public void ReadOptions_OnlyDirectory_UsesTenMiBAndFiveFiles()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["LlamaAspire:LogDirectory"] = _logs.Path,
        }).Build();

        var options = RollingFileLoggingExtensions.ReadOptions(configuration, "app");

        Assert.Equal(new RollingFileOptions(_logs.File("app.log"), 10 * 1024 * 1024, 5), options);
    }

    /// <summary>Runs a host with file logging, logs, and disposes it (which flushes); returns the application name.</summary>
    private string WriteLogs(Dictionary<string, string?> configuration, Action<ILogger> log)
    {
        configuration["LlamaAspire:LogDirectory"] = _logs.Path;
        configuration["Logging:LogLevel:Default"] = "Information";
        var builder = HostFactory.CreateHostBuilder(configuration);
        builder.AddServiceDefaults();

        using var host = builder.Build();
        log(host.Services.GetRequiredService<ILogger<RollingFileLoggingTests>>());
        return builder.Environment.ApplicationName;
    }
}
