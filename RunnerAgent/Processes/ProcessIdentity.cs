using System.Globalization;

namespace LlamaAspire.RunnerAgent.Processes;

/// <summary>What /proc says a live process is (Linux); null when it is gone, a zombie, or unreadable.</summary>
public static class ProcessIdentity
{
    private const string DeletedSuffix = " (deleted)";

    public static RunnerPidEntry? Describe(int pid)
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name in parentheses may hold spaces or ')': fields are counted after the last ')'.
            // After it come field 3 (state) onwards, so field 22 (starttime) is at index 19.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields[0] is "Z" or "X") return null;
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
}
