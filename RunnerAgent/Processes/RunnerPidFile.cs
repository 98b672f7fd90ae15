using System.Text;

namespace LlamaAspire.RunnerAgent.Processes;

/// <summary>
/// Records every llama-server this agent starts, so that the next agent can stop any an earlier one left behind (it was
/// SIGKILLed, or the host crashed mid-load, before the child noticed its stdin close). Only a process that still has
/// the recorded start time and executable is stopped: a pid reused by something else is left alone. Entries of an
/// agent that is still running (another agent sharing the home, or tests in one process) are neither stopped nor dropped.
/// </summary>
/// <param name="owner">The agent's own identity; this process by default. Tests pass a dead one to play an earlier agent.</param>
public sealed class RunnerPidFile(string path, ILogger logger, TimeProvider? time = null, RunnerPidEntry? owner = null)
{
    public const string DefaultFileName = "runneragent.pids";
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan KillTimeout = TimeSpan.FromSeconds(5);

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    private readonly RunnerPidEntry? _owner = owner ?? ProcessIdentity.Describe(Environment.ProcessId);
    private readonly Lock _lock = new();

    public string Path { get; } = path;

    /// <summary>&lt;home&gt;/run/runneragent.pids.</summary>
    public static RunnerPidFile InHome(string home, ILogger logger, RunnerPidEntry? owner = null) =>
        new(System.IO.Path.Combine(home, "run", DefaultFileName), logger, owner: owner);

    /// <summary>Records a process this agent just started; a no-op once it has already exited, or off Linux.</summary>
    public void Record(int pid)
    {
        // Looked up under the lock, so a Remove for an exited process can't be overtaken by a stale Record.
        lock (_lock)
        {
            if (ProcessIdentity.Describe(pid) is { } entry) Record(entry);
        }
    }

    public void Record(RunnerPidEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var owned = entry with { OwnerPid = _owner?.Pid ?? 0, OwnerStartTime = _owner?.StartTime ?? 0 };
        lock (_lock) Update(entries => [.. entries.Where(e => e.Pid != entry.Pid), owned]);
    }

    /// <summary>Forgets a process once it has exited.</summary>
    public void Remove(int pid)
    {
        lock (_lock) Update(entries => [.. entries.Where(e => e.Pid != pid)]);
    }

    /// <summary>The entries in the file now; unreadable lines are skipped.</summary>
    public IReadOnlyList<RunnerPidEntry> Read()
    {
        lock (_lock) return ReadFile();
    }

    /// <summary>
    /// At agent start: stops (SIGTERM, <paramref name="grace"/>, SIGKILL) every recorded process whose agent is gone and
    /// that is still the one recorded, then drops those entries. Returns how many it stopped.
    /// </summary>
    public async Task<int> ReapAsync(TimeSpan grace)
    {
        List<RunnerPidEntry> leftovers;
        lock (_lock) leftovers = [.. ReadFile().Where(IsLeftover)];

        var stopped = await Task.WhenAll(leftovers.Select(entry => StopIfStillOursAsync(entry, grace)));

        lock (_lock) Update(entries => [.. entries.Where(e => !IsLeftover(e))]);
        return stopped.Count(s => s);
    }

    private bool IsLeftover(RunnerPidEntry entry) => !entry.IsOwnedBy(_owner) && !entry.OwnerIsAlive;

    /// <summary>
    /// SIGTERM, the grace period, then SIGKILL, by pid: the leftover is not this agent's child, so there is no Process to
    /// wait on, and it may linger as a zombie where init does not reap. The identity is checked again before each signal.
    /// </summary>
    private async Task<bool> StopIfStillOursAsync(RunnerPidEntry recorded, TimeSpan grace)
    {
        var live = ProcessIdentity.Describe(recorded.Pid);
        if (live is null) return false;   // gone
        if (!live.IsSameProcessAs(recorded))
        {
            RunnerPidFileLog.NotOurs(logger, recorded.Pid, live.Executable);
            return false;
        }

        RunnerPidFileLog.Reaping(logger, recorded.Pid, recorded.Executable);
        if (!PosixSignal.Send(recorded.Pid, PosixSignal.SigTerm)) return false;
        if (await GoneWithinAsync(recorded, grace)) return true;
        if (ProcessIdentity.Describe(recorded.Pid)?.IsSameProcessAs(recorded) == true) PosixSignal.Send(recorded.Pid, PosixSignal.SigKill);
        await GoneWithinAsync(recorded, KillTimeout);
        return true;
    }

    private async Task<bool> GoneWithinAsync(RunnerPidEntry recorded, TimeSpan timeout)
    {
        var started = _time.GetTimestamp();
        while (ProcessIdentity.Describe(recorded.Pid)?.IsSameProcessAs(recorded) == true)
        {
            if (_time.GetElapsedTime(started) >= timeout) return false;
            await Task.Delay(PollInterval, _time);
        }
        return true;
    }

    private void Update(Func<IReadOnlyList<RunnerPidEntry>, IReadOnlyList<RunnerPidEntry>> change)
    {
        var entries = change(ReadFile());
        try
        {
            WriteAtomically(entries);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            RunnerPidFileLog.WriteFailed(logger, Path, e.Message);
        }
    }

    private List<RunnerPidEntry> ReadFile()
    {
        string[] lines;
        try
        {
            if (!File.Exists(Path)) return [];
            lines = File.ReadAllLines(Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            RunnerPidFileLog.ReadFailed(logger, Path, e.Message);
            return [];
        }

        var entries = new List<RunnerPidEntry>();
        var corrupt = 0;
        foreach (var line in lines.Where(l => l.Length > 0))
        {
            if (RunnerPidEntry.TryParse(line) is { } entry) entries.Add(entry);
            else corrupt++;
        }
        if (corrupt > 0) RunnerPidFileLog.CorruptLines(logger, Path, corrupt);
        return entries;
    }

    /// <summary>Write a temp file beside it, flush it to disk, rename over: a crash leaves the old file or the new, never half.</summary>
    private void WriteAtomically(IReadOnlyList<RunnerPidEntry> entries)
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;
        Directory.CreateDirectory(directory);
        var temp = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(Path)}.{Environment.ProcessId}.tmp");
        var text = new StringBuilder();
        foreach (var entry in entries) text.Append(entry.ToLine()).Append('\n');
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(Encoding.UTF8.GetBytes(text.ToString()));
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, Path, overwrite: true);
    }
}
