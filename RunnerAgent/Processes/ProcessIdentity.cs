using System.Globalization;

namespace LlamaAspire.RunnerAgent.Processes;

/// <summary>What /proc says a live process is (Linux); null when it is gone, a zombie, or unreadable.</summary>
public static class ProcessIdentity
{
    private const string DeletedSuffix = " (deleted)";

    public static RunnerPidEntry? Describe(int pid)
    {
        if (StatFields(pid) is not { } fields) return null;
        try
        {
            var startTime = long.Parse(fields[19], CultureInfo.InvariantCulture);
            var exe = new FileInfo($"/proc/{pid}/exe").LinkTarget;
            if (exe is null) return null;
            // A binary replaced on disk since it started (a rebuild) shows as "/path (deleted)"; it is still that binary.
            if (exe.EndsWith(DeletedSuffix, StringComparison.Ordinal)) exe = exe[..^DeletedSuffix.Length];
            return new RunnerPidEntry(pid, startTime, exe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>Whether the pid is gone or a zombie: one read of /proc/&lt;pid&gt;/stat, cheap enough for every lease. False off Linux.</summary>
    public static bool HasExited(int pid) => OperatingSystem.IsLinux() && StatFields(pid) is null;

    /// <summary>
    /// The fields of /proc/&lt;pid&gt;/stat from field 3 (state) on, or null when the process is gone or a zombie.
    /// The command name in parentheses may hold spaces or ')': fields are counted after the last ')', so field 22
    /// (starttime) is at index 19.
    /// </summary>
    private static string[]? StatFields(int pid)
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return fields[0] is "Z" or "X" ? null : fields;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }
}
