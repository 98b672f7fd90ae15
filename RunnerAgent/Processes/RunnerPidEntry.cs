using System.Globalization;

namespace LlamaAspire.RunnerAgent.Processes;

/// <summary>
/// One started llama-server: its pid, when it started (/proc/&lt;pid&gt;/stat field 22, clock ticks since boot, so a
/// recycled pid does not match) and the executable it runs; and the same stamp of the agent that started it, so one
/// agent never reaps the processes of another that is still running.
/// </summary>
public sealed record RunnerPidEntry(int Pid, long StartTime, string Executable, int OwnerPid = 0, long OwnerStartTime = 0)
{
    public bool IsSameProcessAs(RunnerPidEntry other) =>
        Pid == other.Pid && StartTime == other.StartTime && string.Equals(Executable, other.Executable, StringComparison.Ordinal);

    public bool IsOwnedBy(RunnerPidEntry? agent) => agent is not null && OwnerPid == agent.Pid && OwnerStartTime == agent.StartTime;

    /// <summary>True while the agent that recorded it still runs (same pid and start time).</summary>
    public bool OwnerIsAlive => ProcessIdentity.Describe(OwnerPid) is { } owner && owner.StartTime == OwnerStartTime;

    /// <summary>"pid starttime ownerpid ownerstarttime executable": the executable last, as it may hold spaces.</summary>
    public string ToLine() => string.Create(CultureInfo.InvariantCulture, $"{Pid} {StartTime} {OwnerPid} {OwnerStartTime} {Executable}");

    /// <summary>Null for a line that is not one (a torn or hand-edited file).</summary>
    public static RunnerPidEntry? TryParse(string line)
    {
        var parts = line.Split(' ', 5);
        return parts.Length == 5
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var startTime)
            && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var ownerPid)
            && long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var ownerStartTime)
            && parts[4].StartsWith('/')
            ? new RunnerPidEntry(pid, startTime, parts[4], ownerPid, ownerStartTime)
            : null;
    }
}
