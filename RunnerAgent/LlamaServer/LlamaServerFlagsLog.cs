namespace LlamaAspire.RunnerAgent.LlamaServer;

internal static partial class LlamaServerFlagsLog
{
    [LoggerMessage(2200, LogLevel.Information, "llama-server at {Binary}: version {Version}, {FlagCount} flags")]
    public static partial void Probed(ILogger logger, string binary, string version, int flagCount);
}
