using System.Diagnostics;
using System.Globalization;

namespace LlamaAspire.RunnerAgent.Scheduling;

/// <summary>
/// How many bytes the loaded models may take together: configured, else the GPUs' memory when nvidia-smi answers,
/// else the memory this process may use (physical RAM or the container's limit), each less a margin.
/// </summary>
public static class MemoryBudget
{
    private const long MiB = 1024 * 1024;
    private const long MinimumMargin = 1024 * MiB;

    public sealed record Resolved(long Bytes, string Source);

    public static Resolved Resolve(long? configuredMiB, Func<long?>? gpuMemory = null, Func<long>? systemMemory = null)
    {
        if (configuredMiB is > 0 and var configured) return new(configured * MiB, "configured");
        if ((gpuMemory ?? QueryNvidiaSmi)() is > 0 and var gpu) return new(LessMargin(gpu), "GPU memory (nvidia-smi) less a margin");
        var system = (systemMemory ?? (() => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes))();
        return new(LessMargin(system), "physical memory less a margin");
    }

    /// <summary>A tenth, and at least 1 GiB, stays free for the system, the services and llama-server's compute buffers.</summary>
    public static long LessMargin(long total) => Math.Max(total / 2, total - Math.Max(MinimumMargin, total / 10));

    /// <summary>The sum of every GPU's total memory; null when there is no nvidia-smi or it fails.</summary>
    public static long? QueryNvidiaSmi()
    {
        try
        {
            using var smi = Process.Start(new ProcessStartInfo("nvidia-smi", ["--query-gpu=memory.total", "--format=csv,noheader,nounits"])
            {
                RedirectStandardOutput = true,
                UseShellExecute = false,
            });
            if (smi is null) return null;
            var output = smi.StandardOutput.ReadToEnd();
            if (!smi.WaitForExit(5000) || smi.ExitCode != 0) return null;
            long total = 0;
            foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                if (long.TryParse(line, NumberStyles.Integer, CultureInfo.InvariantCulture, out var mib)) total += mib * MiB;
            return total > 0 ? total : null;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return null;   // not installed
        }
    }
}
