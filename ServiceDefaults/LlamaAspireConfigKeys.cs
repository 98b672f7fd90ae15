namespace LlamaAspire.ServiceDefaults;

/// <summary>Configuration keys that ServiceDefaults reads, as set by our AppHost or by an operator.</summary>
public static class LlamaAspireConfigKeys
{
    /// <summary>When true, the service stops once its standard input reaches end of file (the AppHost died).</summary>
    public const string ExitOnStdinClose = "LlamaAspire:ExitOnStdinClose";

    /// <summary>Directory for rolling log files; no file logging when unset.</summary>
    public const string LogDirectory = "LlamaAspire:LogDirectory";

    /// <summary>Size in bytes at which the log file rolls over (default 10 MiB).</summary>
    public const string LogFileSizeLimitBytes = "LlamaAspire:LogFileSizeLimitBytes";

    /// <summary>How many log files to keep, the active one included (default 5).</summary>
    public const string LogRetainedFileCount = "LlamaAspire:LogRetainedFileCount";

    public const string OtlpEndpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public const string OtelServiceName = "OTEL_SERVICE_NAME";
}
