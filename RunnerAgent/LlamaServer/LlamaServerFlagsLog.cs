namespace LlamaAspire.RunnerAgent.LlamaServer;

internal static partial class LlamaServerFlagsLog
{
    [LoggerMessage(2200, LogLevel.Information, "llama-server at {Binary}: version {Version}, {FlagCount} flags")]
    public static partial void Probed(ILogger logger, string binary, string version, int flagCount);

    [LoggerMessage(2201, LogLevel.Warning, "Could not ask llama-server at {Binary} for its flags, so its args go unchecked: {Reason}")]
    public static partial void ProbeFailed(ILogger logger, string binary, string reason);
}
