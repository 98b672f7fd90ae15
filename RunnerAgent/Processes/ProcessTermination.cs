using System.Diagnostics;
using System.Runtime.InteropServices;

namespace LlamaAspire.RunnerAgent.Processes;

/// <summary>SIGTERM, a grace period, then kill the tree.</summary>
public static partial class ProcessTermination
{
    private const int SigTerm = 15;

    public static async Task StopAsync(Process process, TimeSpan grace)
    {
        if (HasExited(process)) return;
        if (!OperatingSystem.IsWindows() && Kill(process.Id, SigTerm) == 0)
        {
            using var graceTimeout = new CancellationTokenSource(grace);
            try
            {
                await process.WaitForExitAsync(graceTimeout.Token);
                return;
            }
            catch (OperationCanceledException)
            {
                // Grace period over.
            }
        }
        try { process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { return; }
        using var killTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await process.WaitForExitAsync(killTimeout.Token);
    }

    private static bool HasExited(Process process)
    {
        try { return process.HasExited; }
        catch (InvalidOperationException) { return true; }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
