using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LlamaAspire.ServiceDefaults.Logging;

internal static class RollingFileLoggingExtensions
{
    /// <summary>
    /// Adds the rolling file logger when <c>LlamaAspire:LogDirectory</c> is set. The file is named after
    /// <c>OTEL_SERVICE_NAME</c> (the AppHost's resource name) or else the application name.
    /// </summary>
    public static void AddRollingFileLogging(this IHostApplicationBuilder builder)
    {
        var options = ReadOptions(builder.Configuration, builder.Environment.ApplicationName);
        if (options is null)
        {
            return;
        }

        builder.Logging.Services.AddSingleton<ILoggerProvider>(services => new RollingFileLoggerProvider(
            new RollingFileWriter(options),
            services.GetService<TimeProvider>() ?? TimeProvider.System));
    }

    internal static RollingFileOptions? ReadOptions(IConfiguration configuration, string applicationName)
    {
        var directory = configuration[LlamaAspireConfigKeys.LogDirectory];
        if (string.IsNullOrWhiteSpace(directory))
        {
            return null;
        }

        var sizeLimit = configuration.GetValue(LlamaAspireConfigKeys.LogFileSizeLimitBytes, RollingFileOptions.DefaultFileSizeLimitBytes);
        var retained = configuration.GetValue(LlamaAspireConfigKeys.LogRetainedFileCount, RollingFileOptions.DefaultRetainedFileCount);
        if (sizeLimit < 1024)
        {
            throw new InvalidOperationException($"{LlamaAspireConfigKeys.LogFileSizeLimitBytes} must be at least 1024 bytes, not {sizeLimit}.");
        }

        if (retained < 1)
        {
            throw new InvalidOperationException($"{LlamaAspireConfigKeys.LogRetainedFileCount} must be at least 1, not {retained}.");
        }

        var serviceName = configuration[LlamaAspireConfigKeys.OtelServiceName];
        var fileName = SafeFileName(string.IsNullOrWhiteSpace(serviceName) ? applicationName : serviceName) + ".log";
        return new RollingFileOptions(Path.Combine(Path.GetFullPath(directory), fileName), sizeLimit, retained);
    }

    private static string SafeFileName(string name)
    {
        var invalid = Path.GetInvalidFileNameChars();
        return string.Concat(name.Trim().Select(c => invalid.Contains(c) ? '_' : c));
    }
}
