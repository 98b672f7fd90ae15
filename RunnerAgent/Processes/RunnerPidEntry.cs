using System.Globalization;

namespace LlamaAspire.RunnerAgent.Processes;

/// <summary>
/// One started llama-server: its pid, when it started (/proc/&lt;pid&gt;/stat field 22, clock ticks since boot, so a
/// recycled pid does not match) and the executable it runs.
/// </summary>
public sealed record RunnerPidEntry(int Pid, long StartTime, string Executable)
{
    /// <summary>"pid starttime executable": the executable last, as it may hold spaces.</summary>
    public string ToLine() => string.Create(CultureInfo.InvariantCulture, $"{Pid} {StartTime} {Executable}");

    /// <summary>Null for a line that is not one (a torn or hand-edited file).</summary>
    public static RunnerPidEntry? TryParse(string line)
    {
        var parts = line.Split(' ', 3);
        return parts.Length == 3
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var startTime)
            && parts[2].StartsWith('/')
            ? new RunnerPidEntry(pid, startTime, parts[2])
            : null;
    }
}
