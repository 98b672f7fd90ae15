using System.Diagnostics;
using System.Text.RegularExpressions;
using LlamaAspire.TestSupport.LlamaServer;

namespace LlamaAspire.AppHost.Tests;

/// <summary>The AppHost as a user runs it: a real process, its console read line by line.</summary>
internal sealed partial class AppHostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly Lock _lock = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _pumps;

    private AppHostProcess(Process process)
    {
        _process = process;
        _pumps = Task.WhenAll(PumpAsync(process.StandardOutput), PumpAsync(process.StandardError));
    }

    public int Pid => _process.Id;

    public string Output
    {
        get { lock (_lock) return string.Join('\n', _lines); }
    }

    public static AppHostProcess Start(params string[] args) =>
        Launch([Path.Combine(AppContext.BaseDirectory, "LlamaAspire.AppHost.dll"), .. args]);

    /// <summary>As the README says to run it: <c>dotnet run --project AppHost -- …</c> (without building again).</summary>
    public static AppHostProcess StartWithDotNetRun(params string[] args)
    {
        var repository = LlamaServerLocator.FindRepositoryRoot() ?? throw new InvalidOperationException("No LlamaAspire.sln above the tests.");
        // bin/<Configuration>/net10.0/: run the AppHost built in the same configuration as the tests.
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        return Launch(["run", "--no-build", "--configuration", configuration, "--project", Path.Combine(repository, "AppHost"), "--", .. args]);
    }

    private static AppHostProcess Launch(IEnumerable<string> dotnetArgs)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in dotnetArgs) startInfo.ArgumentList.Add(arg);
        return new AppHostProcess(Process.Start(startInfo)!);
    }

    /// <summary>Waits for the "Press Ctrl+C" line that follows the URLs.</summary>
    public async Task WaitUntilRunningAsync(CancellationToken ct)
    {
        var exited = _process.WaitForExitAsync(ct);
        if (await Task.WhenAny(_ready.Task, exited) == exited)
            throw new InvalidOperationException($"The AppHost exited with code {_process.ExitCode} before it was running:\n{Output}");
    }

    /// <summary>An endpoint URL as printed in the AppHost's list, e.g. ("runneragent", "http").</summary>
    public Uri EndpointUrl(string resource, string endpoint)
    {
        var match = _lines.Select(l => EndpointLine().Match(l)).FirstOrDefault(m => m.Success && m.Groups[1].Value == resource && m.Groups[2].Value == endpoint)
            ?? throw new InvalidOperationException($"No endpoint {resource}/{endpoint} in:\n{Output}");
        return new Uri(match.Groups[3].Value);
    }

    public void Signal(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>The exit code; fails with the AppHost's whole output if it is still running after <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            Assert.Fail($"The AppHost was still running {timeout.TotalSeconds} s later. Its output:\n{Output}");
        }
        await _pumps;
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private async Task PumpAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (_lock) _lines.Add(line);
            if (line.StartsWith("Press Ctrl+C", StringComparison.Ordinal)) _ready.TrySetResult();
        }
    }

    [GeneratedRegex(@"^\s+(\S+)\s+(\S+)\s+(https?://\S+)$")]
    private static partial Regex EndpointLine();
}
