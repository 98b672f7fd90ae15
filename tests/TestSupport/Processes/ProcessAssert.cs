using System.Diagnostics;

namespace LlamaAspire.TestSupport.Processes;

/// <summary>Assertions that a test left no process behind, with a grace period for normal shutdown.</summary>
public static class ProcessAssert
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    /// <summary>No process whose command line contains <paramref name="marker"/> remains (the test's temp dir is a good marker).</summary>
    public static Task NoneRunningAsync(string marker, TimeSpan? timeout = null) =>
        NoneRunningAsync(p => p.CommandLine.Contains(marker, StringComparison.Ordinal), $"command line containing '{marker}'", timeout);

    public static async Task NoneRunningAsync(Func<ProcessEntry, bool> predicate, string description, TimeSpan? timeout = null)
    {
        var remaining = await WaitAsync(() => ProcessTable.Snapshot().Where(p => p.Pid != Environment.ProcessId && predicate(p)).ToList(), timeout);
        if (remaining.Count > 0) throw Failure($"process(es) with {description}", remaining);
    }

    /// <summary>Each of <paramref name="pids"/> has exited (or become a zombie).</summary>
    public static async Task ExitedAsync(IEnumerable<int> pids, TimeSpan? timeout = null)
    {
        var watched = pids.ToList();
        var remaining = await WaitAsync(() => watched.Select(ProcessTable.TryRead).OfType<ProcessEntry>().ToList(), timeout);
        if (remaining.Count > 0) throw Failure("watched process(es)", remaining);
    }

    public static Task ExitedAsync(int pid, TimeSpan? timeout = null) => ExitedAsync([pid], timeout);

    private static async Task<List<ProcessEntry>> WaitAsync(Func<List<ProcessEntry>> probe, TimeSpan? timeout)
    {
        var deadline = Stopwatch.StartNew();
        var limit = timeout ?? DefaultTimeout;
        while (true)
        {
            var remaining = probe();
            if (remaining.Count == 0 || deadline.Elapsed >= limit) return remaining;
            await Task.Delay(25);
        }
    }

    private static ProcessAssertException Failure(string what, List<ProcessEntry> remaining) =>
        new($"Orphan {what} still running:{Environment.NewLine}"
            + string.Join(Environment.NewLine, remaining.Select(p => $"  pid {p.Pid} (parent {p.ParentPid}): {p.CommandLine}")));
}
