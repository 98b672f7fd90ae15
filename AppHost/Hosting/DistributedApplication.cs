using System.Runtime.InteropServices;

namespace LlamaAspire.AppHost.Hosting;

/// <summary>
/// Runs the resources in dependency order, each after its dependencies are healthy, and stops them all together.
/// A resource that dies stops the application with exit code 1; we do not restart it.
/// </summary>
public sealed class DistributedApplication : IAsyncDisposable
{
    private readonly List<ResourceRunner> _runners;
    private readonly ConsoleOutput _console;
    private readonly HttpClient _healthClient = new();
    private readonly TaskCompletionSource<ResourceRunner> _firstFailure = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _stopOnce = new(1, 1);
    private readonly CancellationTokenSource _shutdown = new();
    private bool _stopped;

    internal DistributedApplication(IReadOnlyList<ProjectResource> startOrder, DistributedApplicationOptions options, TimeProvider timeProvider)
    {
        _console = new ConsoleOutput(options.ConsoleOutput);
        ResourceLogs = new ResourceLoggerService(timeProvider);
        _runners = [.. startOrder.Select(r => new ResourceRunner(r, options, ResourceNotifications, ResourceLogs, _console, _healthClient, timeProvider))];
        foreach (var runner in _runners)
            ResourceNotifications.Publish(new ResourceEvent(runner.Resource.Name, KnownResourceStates.NotStarted));
    }

    public ResourceNotificationService ResourceNotifications { get; } = new();

    public ResourceLoggerService ResourceLogs { get; }

    public IReadOnlyList<ProjectResource> Resources => [.. _runners.Select(r => r.Resource)];

    public async Task StartAsync(CancellationToken ct = default)
    {
        AppDomain.CurrentDomain.ProcessExit += KillAllOnExit;
        foreach (var runner in _runners)
        {
            ResourceNotifications.Publish(new ResourceEvent(runner.Resource.Name, KnownResourceStates.Waiting));
            foreach (var dependency in runner.Resource.WaitsFor)
                await ResourceNotifications.WaitForResourceHealthyAsync(dependency.Name, ct);
            await runner.StartAsync(ct);
            _ = ReportUnexpectedExitAsync(runner);
        }
    }

    /// <summary>Starts, prints the URLs, and runs until Ctrl+C, SIGTERM or a resource failure. Returns the exit code.</summary>
    public async Task<int> RunAsync(CancellationToken ct = default)
    {
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var sigquit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, OnSignal);
        using var cancelled = ct.Register(RequestShutdown);
        _ = StopWhenDotNetParentExitsAsync();

        try
        {
            await StartAsync(_shutdown.Token);
        }
        catch (Exception e) when (e is DistributedApplicationException or OperationCanceledException)
        {
            if (e is DistributedApplicationException) _console.WriteSystem($"error: {e.Message}");
            await StopAsync();
            return e is OperationCanceledException ? 0 : 1;
        }

        PrintUrls();
        var shutdownRequested = Task.Delay(Timeout.Infinite, _shutdown.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        var ended = await Task.WhenAny(shutdownRequested, _firstFailure.Task);
        if (ended == _firstFailure.Task)
        {
            var failed = await _firstFailure.Task;
            _console.WriteSystem($"error: {failed.DescribeFailure(await failed.Exited)}");
        }
        else
        {
            _console.WriteSystem("Stopping…");
        }
        await StopAsync();
        return ended == _firstFailure.Task ? 1 : 0;

        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;   // we stop the children ourselves, then return from Main
            RequestShutdown();
        }
    }

    /// <summary>SIGTERM to every child at once, a grace period, then kill each remaining tree.</summary>
    public async Task StopAsync()
    {
        await _stopOnce.WaitAsync();
        try
        {
            if (_stopped) return;
            await Task.WhenAll(_runners.Select(r => r.StopAsync()));
            _stopped = true;
            AppDomain.CurrentDomain.ProcessExit -= KillAllOnExit;
        }
        finally
        {
            _stopOnce.Release();
        }
    }

    public Uri GetEndpoint(string resourceName, string? endpointName = null) =>
        new(Resource(resourceName).GetEndpoint(endpointName).Url);

    public ProjectResource Resource(string name) =>
        _runners.Select(r => r.Resource).FirstOrDefault(r => r.Name == name)
            ?? throw new ArgumentException($"No resource named '{name}'.", nameof(name));

    public int? GetProcessId(string resourceName) => _runners.First(r => r.Resource.Name == resourceName).ProcessId;

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _healthClient.Dispose();
        _stopOnce.Dispose();
        _shutdown.Dispose();
    }

    private void RequestShutdown()
    {
        foreach (var runner in _runners) runner.ExpectExit();   // a terminal's Ctrl+C reaches the children too
        _shutdown.Cancel();
    }

    private async Task StopWhenDotNetParentExitsAsync()
    {
        try
        {
            await ParentProcessWatch.WaitForDotNetParentExitAsync(_shutdown.Token);
            _console.WriteSystem("The dotnet process that started the AppHost is gone.");
            RequestShutdown();
        }
        catch (OperationCanceledException)
        {
            // Stopping anyway.
        }
    }

    private async Task ReportUnexpectedExitAsync(ResourceRunner runner)
    {
        await runner.Exited;
        if (!runner.IsStopping) _firstFailure.TrySetResult(runner);
    }

    private void PrintUrls()
    {
        var endpoints = _runners.SelectMany(r => r.Resource.Endpoints.Select(e => (Resource: r.Resource.Name, Endpoint: e))).ToList();
        _console.WriteSystem("");
        _console.WriteSystem("LlamaAspire is running:");
        foreach (var (resource, endpoint) in endpoints.Where(e => e.Endpoint.IsExternal))
            _console.WriteSystem($"  {resource,-12} {endpoint.Name,-9} {endpoint.Url}");
        _console.WriteSystem("Internal endpoints:");
        foreach (var (resource, endpoint) in endpoints.Where(e => !e.Endpoint.IsExternal))
            _console.WriteSystem($"  {resource,-12} {endpoint.Name,-9} {endpoint.Url}");
        _console.WriteSystem("Press Ctrl+C to stop.");
    }

    private void KillAllOnExit(object? sender, EventArgs e)
    {
        foreach (var runner in _runners) runner.Kill();
    }
}
