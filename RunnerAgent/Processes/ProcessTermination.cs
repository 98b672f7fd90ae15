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
        try
        {
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
            process.Kill(entireProcessTree: true);
            using var killTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await process.WaitForExitAsync(killTimeout.Token);
        }
        catch (InvalidOperationException)
        {
            // It exited meanwhile, and its owner may already have disposed the Process (LlamaServerProcess does).
        }
    }

    private static bool HasExited(Process process)
    {
        try { return process.HasExited; }
        catch (InvalidOperationException) { return true; }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
