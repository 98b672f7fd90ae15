using System.Diagnostics;

namespace LlamaAspire.Gateway.Benchmarks;

/// <summary>
/// What a process has used so far: CPU time and the context switches of all its threads. On a small VM every switch
/// is a sleep and a wake, and their cost shows as time in the scheduler, so the count explains much of the CPU.
/// </summary>
internal sealed record ProcessUsage(TimeSpan Cpu, long ContextSwitches)
{
    public static ProcessUsage Of(int pid)
    {
        long switches = 0;
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                foreach (var line in File.ReadLines(Path.Combine(task, "status")))
                {
                    if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal) || line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
                        switches += long.Parse(line.AsSpan(line.IndexOf(':') + 1).Trim(), System.Globalization.CultureInfo.InvariantCulture);
                }
            }
            catch (IOException)
            {
                // The thread ended while being read.
            }
        }
        return new ProcessUsage(Process.GetProcessById(pid).TotalProcessorTime, switches);
    }

    /// <summary>Per round, since <paramref name="start"/>.</summary>
    public string PerRound(ProcessUsage start, int rounds) =>
        $"{(Cpu - start.Cpu).TotalMilliseconds / rounds:0.0} ms CPU, {(double)(ContextSwitches - start.ContextSwitches) / rounds:0} context switches";
}
