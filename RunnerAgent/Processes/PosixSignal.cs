using System.Runtime.InteropServices;

namespace LlamaAspire.RunnerAgent.Processes;

/// <summary>kill(2) by pid, for processes this agent did not start and so holds no Process object for.</summary>
internal static partial class PosixSignal
{
    public const int SigTerm = 15;
    public const int SigKill = 9;

    /// <summary>False when the process is gone (or not ours to signal).</summary>
    public static bool Send(int pid, int signal) => !OperatingSystem.IsWindows() && Kill(pid, signal) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
