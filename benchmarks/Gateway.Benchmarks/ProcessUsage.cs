using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace LlamaAspire.Gateway.Benchmarks;

/// <summary>
/// What a process has used so far: CPU time, the part of it its tiered JIT's background thread spent compiling, and
/// the context switches of all its threads. On a small VM every switch is a sleep and a wake, and their cost shows as
/// time in the scheduler, so the count explains much of the CPU.
/// </summary>
internal sealed record ProcessUsage(TimeSpan Cpu, TimeSpan JitCpu, long ContextSwitches)
{
    /// <summary>Per round, since <paramref name="start"/>.</summary>
    public string PerRound(ProcessUsage start, int rounds) =>
        $"{(Cpu - start.Cpu).TotalMilliseconds / rounds:0.0} ms CPU (tiered JIT thread {(JitCpu - start.JitCpu).TotalMilliseconds / rounds:0.0} ms), " +
        $"{(double)(ContextSwitches - start.ContextSwitches) / rounds:0} context switches";
}

/// <summary>
/// Follows one process's threads in /proc. Threads come and go (the runtime ends an idle JIT or pool thread and starts
/// another later), so each is read every 100 ms and its last figures are kept after it ends.
/// </summary>
internal sealed class ProcessMonitor : IAsyncDisposable
{
    // utime and stime in /proc/<pid>/task/<tid>/stat are in clock ticks, 100 a second on Linux.
    private const double TicksPerSecond = 100;

    private readonly int _pid;
    private readonly ConcurrentDictionary<string, (long JitTicks, long Switches)> _threads = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _polling;

    public ProcessMonitor(int pid)
    {
        _pid = pid;
        Poll();
        _polling = PollAsync(_stop.Token);
    }

    public ProcessUsage Usage()
    {
        Poll();
        return new ProcessUsage(
            Process.GetProcessById(_pid).TotalProcessorTime,
            TimeSpan.FromSeconds(_threads.Values.Sum(t => t.JitTicks) / TicksPerSecond),
            _threads.Values.Sum(t => t.Switches));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _polling.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task PollAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        while (await timer.WaitForNextTickAsync(ct)) Poll();
    }

    private void Poll()
    {
        IEnumerable<string> tasks;
        try
        {
            tasks = Directory.EnumerateDirectories($"/proc/{_pid}/task").ToList();
        }
        catch (IOException)
        {
            return;   // the process has ended
        }
        foreach (var task in tasks)
        {
            try
            {
                long switches = 0;
                foreach (var line in File.ReadLines(Path.Combine(task, "status")))
                {
                    if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal) || line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
                        switches += long.Parse(line.AsSpan(line.IndexOf(':') + 1).Trim(), CultureInfo.InvariantCulture);
                }
                var jit = File.ReadAllText(Path.Combine(task, "comm")).StartsWith(".NET Tiered", StringComparison.Ordinal)
                    ? ThreadTicks(File.ReadAllText(Path.Combine(task, "stat")))
                    : 0;
                _threads[task] = (jit, switches);
            }
            catch (IOException)
            {
                // The thread ended while being read; its figures from the last poll stay.
            }
        }
    }

    // The fields after the command name (which may hold spaces) start after its closing parenthesis; utime and stime
    // are the 14th and 15th fields of the line.
    private static long ThreadTicks(string stat)
    {
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }
}
