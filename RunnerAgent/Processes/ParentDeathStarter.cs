using System.Collections.Concurrent;
using System.Diagnostics;

namespace LlamaAspire.RunnerAgent.Processes;

/// <summary>
/// Starts processes that die with the thread that started them: on Linux each start goes through util-linux's
/// <c>setpriv --pdeathsig KILL</c>, which sets the parent-death signal and then execs the program (same pid, no shell).
/// The kernel sends that signal when the forking <em>thread</em> exits, so every start happens on one thread of this
/// starter, which lives until it is disposed: for <see cref="Shared"/>, as long as the process. A llama-server that
/// ignores stdin EOF (older builds without llama.cpp's router-child mode) thus still dies when the agent is SIGKILLed.
/// Elsewhere, or without setpriv, processes start unwrapped.
/// </summary>
public sealed class ParentDeathStarter : IDisposable
{
    private static readonly Lazy<string?> Setpriv = new(FindSetpriv);
    private readonly BlockingCollection<Action> _starts = [];
    private readonly Thread _thread;

    public ParentDeathStarter()
    {
        _thread = new Thread(() =>
        {
            foreach (var start in _starts.GetConsumingEnumerable()) start();
        })
        {
            IsBackground = true,
            Name = "process starter",
        };
        _thread.Start();
    }

    public static ParentDeathStarter Shared { get; } = new();

    /// <summary>Whether starts are guarded here (Linux with a setpriv that knows --pdeathsig).</summary>
    public static bool IsAvailable => Setpriv.Value is not null;

    public Process Start(ProcessStartInfo startInfo)
    {
        ArgumentNullException.ThrowIfNull(startInfo);
        if (Setpriv.Value is { } setpriv) Wrap(startInfo, setpriv);
        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        _starts.Add(() =>
        {
            try
            {
                started.SetResult(Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {startInfo.FileName}."));
            }
            catch (Exception e)
            {
                started.SetException(e);
            }
        });
        return started.Task.GetAwaiter().GetResult();   // a fork and exec: a millisecond or two
    }

    /// <summary>Ends the starter's thread: every process it started gets SIGKILL (as when the whole process dies).</summary>
    public void Dispose()
    {
        _starts.CompleteAdding();
        _thread.Join();
        _starts.Dispose();
    }

    private static void Wrap(ProcessStartInfo startInfo, string setpriv)
    {
        List<string> arguments = ["--pdeathsig", "KILL", "--", startInfo.FileName, .. startInfo.ArgumentList];
        startInfo.FileName = setpriv;
        startInfo.ArgumentList.Clear();
        foreach (var argument in arguments) startInfo.ArgumentList.Add(argument);
    }

    private static string? FindSetpriv()
    {
        if (!OperatingSystem.IsLinux()) return null;
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => System.IO.Path.Combine(dir, "setpriv"))
            .FirstOrDefault(File.Exists);
        if (path is null) return null;
        try
        {
            using var probe = Process.Start(new ProcessStartInfo(path, ["--help"]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false });
            if (probe is null) return null;
            var help = probe.StandardOutput.ReadToEnd() + probe.StandardError.ReadToEnd();
            probe.WaitForExit();
            return help.Contains("--pdeathsig", StringComparison.Ordinal) ? path : null;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return null;
        }
    }
}
