using LlamaAspire.RunnerAgent.LlamaServer;
using LlamaAspire.RunnerAgent.Processes;

namespace LlamaAspire.RunnerAgent.Tests.Support;

/// <summary>An in-memory server process for faults the real binary will not produce on demand. It does what the test says, when it says.</summary>
internal sealed class FakeRunnerProcess(int pid, DateTimeOffset startedAt, bool holdStop, RunnerLaunch launch) : IRunnerProcess
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stopReleased = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _stopRequests;

    public int ProcessId { get; } = pid;

    public int Port => 40000 + ProcessId;

    public Uri Endpoint => new($"http://127.0.0.1:{Port}");

    public DateTimeOffset StartedAt { get; } = startedAt;

    public double? LoadProgress { get; set; }

    public OutputTail Output { get; } = new();

    public RunnerLaunch Launch { get; } = launch;

    public Task<int> Exited => _exited.Task;

    public bool HasExited => _exited.Task.IsCompleted;

    public int StopRequests => Volatile.Read(ref _stopRequests);

    public void BecomeReady() => _ready.TrySetResult();

    public void Exit(int exitCode, params string[] lastOutput)
    {
        foreach (var line in lastOutput) Output.Add(line);
        _exited.TrySetResult(exitCode);
    }

    /// <summary>Ends a stop that <c>holdStop</c> kept waiting, as the kill after the grace period would.</summary>
    public void ReleaseStop() => _stopReleased.TrySetResult();

    public async Task WaitUntilReadyAsync(TimeSpan stallTimeout, CancellationToken ct)
    {
        var first = await Task.WhenAny(_ready.Task, _exited.Task).WaitAsync(ct);
        if (first == _exited.Task)
            throw new LlamaServerStartException($"llama-server exited with code {await _exited.Task} while loading", Output.Lines);
    }

    public async Task StopAsync(TimeSpan grace)
    {
        Interlocked.Increment(ref _stopRequests);
        if (holdStop) await _stopReleased.Task;
        _exited.TrySetResult(0);
    }
}
