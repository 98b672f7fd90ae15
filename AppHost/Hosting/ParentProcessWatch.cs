using System.Runtime.InteropServices;

namespace LlamaAspire.AppHost.Hosting;

/// <summary>
/// Under <c>dotnet run</c> the SDK process is our parent and forwards Ctrl+C and SIGTERM, but if it is killed outright
/// nothing tells us. So when our parent is a dotnet host, its disappearance counts as a request to stop.
/// Other parents (a shell, nohup, systemd) are left alone: outliving them may be what the user wants.
/// </summary>
internal static partial class ParentProcessWatch
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    public static async Task WaitForDotNetParentExitAsync(CancellationToken ct)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            await Task.Delay(Timeout.Infinite, ct);
            return;
        }
        var parent = GetParentProcessId();
        if (parent <= 1 || !IsDotNetHost(parent))
        {
            await Task.Delay(Timeout.Infinite, ct);
            return;
        }
        while (GetParentProcessId() == parent) await Task.Delay(PollInterval, ct);
    }

    private static bool IsDotNetHost(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return process.ProcessName == "dotnet";
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "getppid")]
    private static partial int GetParentProcessId();
}
