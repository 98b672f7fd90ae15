using System.Globalization;
using System.Text;

namespace LlamaAspire.TestSupport.Processes;

/// <summary>A live process as seen in /proc.</summary>
public sealed record ProcessEntry(int Pid, int ParentPid, IReadOnlyList<string> Arguments)
{
    public string CommandLine => string.Join(' ', Arguments);
}

/// <summary>Reads the process table from /proc (Linux); zombies count as gone.</summary>
public static class ProcessTable
{
    public static IReadOnlyList<ProcessEntry> Snapshot()
    {
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("ProcessTable reads /proc.");
        var entries = new List<ProcessEntry>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && TryRead(pid) is { } entry)
            {
                entries.Add(entry);
            }
        }

        return entries;
    }

    /// <summary>Processes whose command line contains <paramref name="marker"/>, e.g. a test's own temp directory.</summary>
    public static IReadOnlyList<ProcessEntry> FindByCommandLine(string marker) =>
        [.. Snapshot().Where(p => p.Pid != Environment.ProcessId && p.CommandLine.Contains(marker, StringComparison.Ordinal))];

    /// <summary>Every process below <paramref name="pid"/>: children, their children, and so on.</summary>
    public static IReadOnlyList<ProcessEntry> DescendantsOf(int pid)
    {
        var byParent = Snapshot().ToLookup(p => p.ParentPid);
        var result = new List<ProcessEntry>();
        var frontier = new Queue<int>([pid]);
        while (frontier.TryDequeue(out var parent))
        {
            foreach (var child in byParent[parent])
            {
                result.Add(child);
                frontier.Enqueue(child.Pid);
            }
        }
        return result;
    }

    public static bool IsRunning(int pid) => TryRead(pid) is not null;

    public static ProcessEntry? TryRead(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name in parentheses may itself hold spaces or ')': parse after the last one.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields[0] is "Z" or "X") return null;
            var parent = int.Parse(fields[1], CultureInfo.InvariantCulture);
            var cmdline = File.ReadAllBytes($"/proc/{pid}/cmdline");
            var args = Encoding.UTF8.GetString(cmdline).Split('\0', StringSplitOptions.RemoveEmptyEntries);
            return new ProcessEntry(pid, parent, args);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
