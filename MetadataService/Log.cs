namespace LlamaAspire.MetadataService;

internal static partial class Log
{
    [LoggerMessage(3000, LogLevel.Warning, "Models folder {Directory} does not exist; skipping it")]
    public static partial void ModelDirMissing(ILogger logger, string directory);

    [LoggerMessage(3001, LogLevel.Warning, "{Path} is not a readable GGUF file: {Reason}")]
    public static partial void UnreadableGguf(ILogger logger, string path, string reason);
}
