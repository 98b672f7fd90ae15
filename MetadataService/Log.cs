namespace LlamaAspire.MetadataService;

internal static partial class Log
{
    [LoggerMessage(3000, LogLevel.Warning, "Models folder {Directory} does not exist; skipping it")]
    public static partial void ModelDirMissing(ILogger logger, string directory);
}
