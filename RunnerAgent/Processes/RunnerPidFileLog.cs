namespace LlamaAspire.RunnerAgent.Processes;

internal static partial class RunnerPidFileLog
{
    [LoggerMessage(2210, LogLevel.Warning, "Stopping llama-server pid {Pid} ({Executable}) left running by an earlier agent")]
    public static partial void Reaping(ILogger logger, int pid, string executable);

    [LoggerMessage(2211, LogLevel.Information, "Pid {Pid} from the pid file is now another process ({Executable}); left alone")]
    public static partial void NotOurs(ILogger logger, int pid, string executable);

    [LoggerMessage(2212, LogLevel.Warning, "Ignoring {Count} unreadable line(s) of pid file {Path}")]
    public static partial void CorruptLines(ILogger logger, string path, int count);

    [LoggerMessage(2213, LogLevel.Warning, "Could not update pid file {Path}: {Reason}")]
    public static partial void WriteFailed(ILogger logger, string path, string reason);

    [LoggerMessage(2214, LogLevel.Warning, "Could not read pid file {Path}: {Reason}")]
    public static partial void ReadFailed(ILogger logger, string path, string reason);

    [LoggerMessage(2215, LogLevel.Warning, "Stopped {Count} llama-server(s) an earlier agent left running (from {Path})")]
    public static partial void Reaped(ILogger logger, int count, string path);
}
