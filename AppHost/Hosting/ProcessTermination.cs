using System.Diagnostics;
using System.Runtime.InteropServices;

namespace LlamaAspire.AppHost.Hosting;

/// <summary>SIGTERM, a grace period, then kill the whole tree: DCP's stop sequence.</summary>
internal static partial class ProcessTermination
{
    private const int SigTerm = 15;

    public static async Task StopAsync(Process process, TimeSpan grace)
    {
        if (HasExited(process)) return;

        // .NET cannot send a graceful signal to another process; Windows children get the kill straight away.
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

        KillTree(process);
        using var killTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await process.WaitForExitAsync(killTimeout.Token);
    }

    public static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
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
