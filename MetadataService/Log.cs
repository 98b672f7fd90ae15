namespace LlamaAspire.MetadataService;

internal static partial class Log
{
    [LoggerMessage(3000, LogLevel.Warning, "Models folder {Directory} does not exist; skipping it")]
    public static partial void ModelDirMissing(ILogger logger, string directory);

    [LoggerMessage(3001, LogLevel.Warning, "{Path} is not a readable GGUF file: {Reason}")]
    public static partial void UnreadableGguf(ILogger logger, string path, string reason);

    [LoggerMessage(3002, LogLevel.Warning, "Facts cache {Path} is unreadable and will be rebuilt: {Reason}")]
    public static partial void CacheDiscarded(ILogger logger, string path, string reason);

    [LoggerMessage(3003, LogLevel.Warning, "Could not write facts cache {Path}: {Reason}")]
    public static partial void CacheWriteFailed(ILogger logger, string path, string reason);

    [LoggerMessage(3004, LogLevel.Warning, "Could not hash {Path}: {Reason}")]
    public static partial void DigestFailed(ILogger logger, string path, string reason);

    [LoggerMessage(3005, LogLevel.Warning, "Model rescan failed: {Reason}")]
    public static partial void RescanFailed(ILogger logger, string reason);

    [LoggerMessage(3006, LogLevel.Warning, "Ollama manifest {Path} is unreadable: {Reason}")]
    public static partial void UnreadableManifest(ILogger logger, string path, string reason);

    [LoggerMessage(3007, LogLevel.Warning, "Aliases file {Path} is unreadable and was moved to {Aside}; starting with no aliases: {Reason}")]
    public static partial void AliasesDiscarded(ILogger logger, string path, string aside, string reason);

    [LoggerMessage(3008, LogLevel.Information, "Deleted model {Id}: {Files}")]
    public static partial void ModelDeleted(ILogger logger, string id, string files);
}
