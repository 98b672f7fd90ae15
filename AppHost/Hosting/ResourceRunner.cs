using System.Diagnostics;

namespace LlamaAspire.AppHost.Hosting;

/// <summary>Runs one project resource as a child process: start, health wait, output capture, stop.</summary>
internal sealed class ResourceRunner(
    ProjectResource resource,
    DistributedApplicationOptions options,
    ResourceNotificationService notifications,
    ResourceLoggerService logs,
    ConsoleOutput console,
    HttpClient healthClient,
    TimeProvider timeProvider)
{
    private static readonly TimeSpan HealthPollInterval = TimeSpan.FromMilliseconds(100);
    private const int FailureTailLines = 20;

    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Process? _process;
    private volatile bool _stopping;

    public ProjectResource Resource => resource;

    /// <summary>Completes with the exit code when the process ends, for whatever reason.</summary>
    public Task<int> Exited => _exited.Task;

    public bool IsStopping => _stopping;

    public int? ProcessId => _process?.Id;

    public async Task StartAsync(CancellationToken ct)
    {
        notifications.Publish(new ResourceEvent(resource.Name, KnownResourceStates.Starting));
        try
        {
            _process = Process.Start(CreateStartInfo()) ?? throw new InvalidOperationException("Process.Start returned null.");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            Fail(KnownResourceStates.FailedToStart, null, $"could not start {resource.Project.AssemblyPath}: {e.Message}");
            throw new DistributedApplicationException($"{resource.Name} could not start: {e.Message}");
        }

        // stdin stays open for the child's lifetime: its end-of-file tells the child that we are gone, even after SIGKILL.
        var pumps = Task.WhenAll(
            PumpAsync(_process.StandardOutput, isError: false),
            PumpAsync(_process.StandardError, isError: true));
        _ = WatchExitAsync(_process, pumps);

        await WaitUntilHealthyAsync(ct);
        notifications.Publish(new ResourceEvent(resource.Name, KnownResourceStates.Running, IsHealthy: true));
    }

    /// <summary>From now on an exit is expected: a terminal's Ctrl+C reaches the children as well as us.</summary>
    public void ExpectExit() => _stopping = true;

    public async Task StopAsync()
    {
        _stopping = true;
        if (_process is null || _exited.Task.IsCompleted) return;
        notifications.Publish(new ResourceEvent(resource.Name, KnownResourceStates.Stopping));
        await ProcessTermination.StopAsync(_process, options.ShutdownGracePeriod);
        await _exited.Task;
    }

    /// <summary>Last resort when the AppHost itself is going down without a chance to stop gracefully.</summary>
    public void Kill()
    {
        if (_process is not null) ProcessTermination.KillTree(_process);
    }

    /// <summary>What went wrong, with the last lines of output. Stack frames are left out: they would push the cause off screen.</summary>
    public string DescribeFailure(int? exitCode) =>
        $"{resource.Name} exited{(exitCode is { } code ? $" with code {code}" : "")}. Last output:{Environment.NewLine}"
        + string.Join(Environment.NewLine, logs.GetLines(resource.Name)
            .Select(l => l.Content)
            .Where(l => !IsStackFrame(l))
            .TakeLast(FailureTailLines)
            .Select(l => "    " + l));

    private static bool IsStackFrame(string line)
    {
        var trimmed = line.TrimStart();
        return trimmed.StartsWith("at ", StringComparison.Ordinal) || trimmed.StartsWith("--- End of", StringComparison.Ordinal);
    }

    private ProcessStartInfo CreateStartInfo()
    {
        var startInfo = new ProcessStartInfo(DotNetHost.Path)
        {
            WorkingDirectory = Path.GetDirectoryName(resource.Project.ProjectPath)!,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(resource.Project.AssemblyPath);
        foreach (var arg in resource.Args) startInfo.ArgumentList.Add(arg);

        foreach (var name in ProjectEnvironment.NotInherited) startInfo.Environment.Remove(name);
        foreach (var (name, value) in ProjectEnvironment.Build(resource, options)) startInfo.Environment[name] = value;
        return startInfo;
    }

    private async Task PumpAsync(StreamReader reader, bool isError)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            logs.Add(resource.Name, line, isError);
            console.WriteLine(resource.Name, line);
        }
    }

    private async Task WatchExitAsync(Process process, Task pumps)
    {
        await process.WaitForExitAsync();
        await pumps;
        var code = process.ExitCode;
        if (_stopping) notifications.Publish(new ResourceEvent(resource.Name, KnownResourceStates.Exited, ExitCode: code));
        else Fail(KnownResourceStates.Exited, code, DescribeFailure(code));
        _exited.TrySetResult(code);
    }

    private void Fail(string state, int? exitCode, string reason)
    {
        notifications.Publish(new ResourceEvent(resource.Name, state, ExitCode: exitCode, Reason: reason));
        if (exitCode is null) _exited.TrySetResult(-1);
    }

    private async Task WaitUntilHealthyAsync(CancellationToken ct)
    {
        if (resource.HealthCheckPath is null) return;
        var url = new Uri(new Uri(resource.GetEndpoint().Url), resource.HealthCheckPath);
        var deadline = timeProvider.GetUtcNow() + options.StartupTimeout;

        while (true)
        {
            ct.ThrowIfCancellationRequested();
            if (_exited.Task.IsCompleted)
                throw new DistributedApplicationException($"{resource.Name} failed to start: {DescribeFailure(_exited.Task.Result)}");
            if (timeProvider.GetUtcNow() > deadline)
                throw new DistributedApplicationException(
                    $"{resource.Name} was not healthy at {url} within {options.StartupTimeout.TotalSeconds:0} s. {DescribeFailure(null)}");

            if (await IsHealthyAsync(url, ct)) return;
            await Task.WhenAny(Task.Delay(HealthPollInterval, timeProvider, ct), _exited.Task);
        }
    }

    private async Task<bool> IsHealthyAsync(Uri url, CancellationToken ct)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
        attempt.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            using var response = await healthClient.GetAsync(url, attempt.Token);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return false;
        }
    }
}
