using System.Threading.Channels;
using LlamaAspire.RunnerAgent.Processes;
using LlamaAspire.RunnerAgent.Runners;

namespace LlamaAspire.RunnerAgent.Tests.Support;

/// <summary>Starts <see cref="FakeRunnerProcess"/>es and remembers whether two were ever alive at once.</summary>
internal sealed class FakeRunnerLauncher(TimeProvider time) : IRunnerProcessLauncher
{
    private readonly Lock _lock = new();
    private readonly List<FakeRunnerProcess> _all = [];
    private readonly Channel<FakeRunnerProcess> _started = Channel.CreateUnbounded<FakeRunnerProcess>();

    /// <summary>New processes are ready at once.</summary>
    public bool ReadyAtOnce { get; set; }

    /// <summary>New processes' stops wait for <see cref="FakeRunnerProcess.ReleaseStop"/>.</summary>
    public bool HoldStops { get; set; }

    /// <summary>Thrown by the next starts instead of starting, like an exec failure.</summary>
    public Exception? LaunchFailure { get; set; }

    public int Starts
    {
        get { lock (_lock) return _all.Count; }
    }

    public int MostAliveAtOnce { get; private set; }

    public IRunnerProcess Start(RunnerLaunch launch, RunnerLog log)
    {
        if (LaunchFailure is { } failure) throw failure;
        FakeRunnerProcess process;
        lock (_lock)
        {
            process = new FakeRunnerProcess(_all.Count + 1, time.GetUtcNow(), HoldStops, launch);
            _all.Add(process);
            MostAliveAtOnce = Math.Max(MostAliveAtOnce, _all.Count(p => !p.Exited.IsCompleted));
        }
        if (ReadyAtOnce) process.BecomeReady();
        _started.Writer.TryWrite(process);
        return process;
    }

    /// <summary>The next process started, in order.</summary>
    public ValueTask<FakeRunnerProcess> NextStartedAsync(CancellationToken ct) => _started.Reader.ReadAsync(ct);
}
