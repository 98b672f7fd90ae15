using System.Threading.Channels;
using LlamaAspire.RunnerAgent.Processes;

namespace LlamaAspire.RunnerAgent.Runners;

/// <summary>
/// The one owner of a model's llama-server. A single loop reads the inbox and is the only writer of the state, the
/// process and the waiters; callers post a message and await its reply. Slow work (loading, watching for exit) runs
/// outside the loop and reports back as a message. Stopping is awaited inside the loop, so whatever arrives meanwhile
/// is seen only once the process is gone.
/// </summary>
public sealed class ModelRunner : IAsyncDisposable
{
    private readonly Channel<RunnerMessage> _inbox = Channel.CreateUnbounded<RunnerMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly RunnerLaunch _launch;
    private readonly IRunnerProcessLauncher _launcher;
    private readonly RunnerEvents _events;
    private readonly RunnerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Task _loop;

    // Written by the loop only.
    private readonly List<TaskCompletionSource<IRunnerProcess>> _waiters = [];
    private int _contextLength;
    private readonly Queue<DateTimeOffset> _recentFailures = new();
    private RunnerState _state = RunnerState.Stopped;
    private IRunnerProcess? _process;
    private CancellationTokenSource? _startCancel;
    private Task _startTask = Task.CompletedTask;
    private string? _lastFailure;
    private DateTimeOffset _backOffUntil = DateTimeOffset.MinValue;
    private volatile RunnerStatus _status = new(RunnerState.Stopped, null, null);

    public ModelRunner(
        RunnerLaunch launch, IRunnerProcessLauncher launcher, RunnerEvents events, RunnerOptions options, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(launch);
        ArgumentNullException.ThrowIfNull(options);
        _launch = launch;
        _contextLength = launch.ContextLength;
        _launcher = launcher;
        _events = events;
        _options = options;
        _time = time;
        _logger = logger;
        OutputLog = new RunnerLog(time, options.LogCapacity);
        _loop = RunAsync();
    }

    public string ModelId => _launch.Model.Id;

    public RunnerLaunch Launch => _launch;

    /// <summary>Output of this model's processes, across restarts.</summary>
    public RunnerLog OutputLog { get; }

    /// <summary>For display only: by the time a caller reads it, it may have changed.</summary>
    public RunnerStatus Status => _status;

    /// <summary>
    /// The ready process, starting it if needed. Callers that come while it starts join that start. Giving up
    /// (<paramref name="ct"/>) stops the waiting, not the start.
    /// </summary>
    /// <exception cref="RunnerStartException">It failed to load, was stopped first, or is backing off after repeated failures.</exception>
    public Task<IRunnerProcess> EnsureReadyAsync(CancellationToken ct) => EnsureReadyAsync(_launch.ContextLength, ct);

    /// <summary>As <see cref="EnsureReadyAsync(CancellationToken)"/>; a start begun by this call uses <paramref name="contextLength"/>
    /// (0: the model's own). A process already running keeps its context: restarting for another is the scheduler's decision.</summary>
    public Task<IRunnerProcess> EnsureReadyAsync(int contextLength, CancellationToken ct)
    {
        var reply = new TaskCompletionSource<IRunnerProcess>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(new RunnerMessage.EnsureReady(reply, contextLength));
        return reply.Task.WaitAsync(ct);
    }

    /// <summary>Stops the process, if any; true when there was one. A start in progress is cancelled.</summary>
    public Task<bool> StopAsync()
    {
        var reply = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(new RunnerMessage.Stop(reply));
        return reply.Task;
    }

    /// <summary>Stops the process and ends the loop; later calls throw <see cref="ObjectDisposedException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        _inbox.Writer.TryComplete();
        await _loop;
    }

    private void Post(RunnerMessage message)
    {
        if (!_inbox.Writer.TryWrite(message)) throw new ObjectDisposedException(nameof(ModelRunner), $"The runner of {ModelId} has shut down.");
    }

    private async Task RunAsync()
    {
        await foreach (var message in _inbox.Reader.ReadAllAsync())
        {
            switch (message)
            {
                case RunnerMessage.EnsureReady m: OnEnsureReady(m.Reply, m.ContextLength); break;
                case RunnerMessage.Stop m: m.Reply.TrySetResult(await StopProcessAsync("stopped")); break;
                case RunnerMessage.StartCompleted m: await OnStartCompletedAsync(m.Process, m.Error); break;
                case RunnerMessage.ProcessExited m: OnProcessExited(m.Process, m.ExitCode); break;
                default: throw new InvalidOperationException($"Unknown message {message}.");
            }
        }
        await StopProcessAsync("shut down");
    }

    private void OnEnsureReady(TaskCompletionSource<IRunnerProcess> reply, int contextLength)
    {
        // A crash may be visible before its exit message arrives: never hand out a dead process.
        if (_state == RunnerState.Ready && _process!.HasExited) OnCrashed(_process, _process.Exited.IsCompleted ? _process.Exited.Result : null);
        switch (_state)
        {
            case RunnerState.Ready:
                reply.TrySetResult(_process!);
                return;
            case RunnerState.Starting:
                _waiters.Add(reply);
                return;
        }
        if (_time.GetUtcNow() < _backOffUntil)
        {
            reply.TrySetException(new RunnerStartException(
                $"{ModelId} failed {_options.CrashLoopLimit} times within {_options.CrashLoopWindow.TotalSeconds:0} s; " +
                $"not starting it again before {_backOffUntil:u}. Last failure: {_lastFailure}"));
            return;
        }
        _waiters.Add(reply);
        _contextLength = contextLength;
        Start();
    }

    private void Start()
    {
        MoveTo(RunnerState.Starting, null);
        IRunnerProcess process;
        try
        {
            process = _launcher.Start(_launch with { ContextLength = _contextLength }, OutputLog);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            Fail($"could not start {_launch.Binary}: {e.Message}");
            return;
        }
        _process = process;
        _status = new RunnerStatus(RunnerState.Starting, process, null);
        Log.RunnerStarting(_logger, ModelId, process.Port, process.ProcessId);
        _startCancel = new CancellationTokenSource();
        _startTask = WaitUntilReadyAsync(process, _startCancel.Token);
        _ = WatchExitAsync(process);
    }

    private async Task WaitUntilReadyAsync(IRunnerProcess process, CancellationToken ct)
    {
        var ready = process.WaitUntilReadyAsync(_options.LoadStallTimeout, ct);
        await ready.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        var error = ready.IsCompletedSuccessfully ? null : ready.Exception?.InnerException ?? new OperationCanceledException("The start was cancelled.");
        _inbox.Writer.TryWrite(new RunnerMessage.StartCompleted(process, error));
    }

    private async Task WatchExitAsync(IRunnerProcess process) =>
        _inbox.Writer.TryWrite(new RunnerMessage.ProcessExited(process, await process.Exited));

    private async Task OnStartCompletedAsync(IRunnerProcess process, Exception? error)
    {
        if (process != _process || _state != RunnerState.Starting) return;   // a start that a stop already ended
        DisposeStartCancel();
        if (error is null)
        {
            MoveTo(RunnerState.Ready, null);
            Log.RunnerReady(_logger, ModelId, process.Port, (long)(_time.GetUtcNow() - process.StartedAt).TotalMilliseconds);
            foreach (var waiter in _waiters) waiter.TrySetResult(process);
            _waiters.Clear();
            return;
        }
        await process.StopAsync(_options.StopGracePeriod);   // a stalled load is still running
        _process = null;
        Fail(error.Message);
    }

    private void OnProcessExited(IRunnerProcess process, int exitCode)
    {
        // While starting, the start reports the exit; while stopping, we caused it.
        if (process != _process || _state != RunnerState.Ready) return;
        OnCrashed(process, exitCode);
    }

    private void OnCrashed(IRunnerProcess process, int? exitCode)
    {
        Log.RunnerExitedUnexpectedly(_logger, ModelId, exitCode ?? -1);
        _process = null;
        var tail = process.Output.Lines.TakeLast(15).ToList();
        Fail($"llama-server of {ModelId} exited" + (exitCode is { } code ? $" with code {code}" : "") + (tail.Count > 0 ? ". Last output:\n" + string.Join('\n', tail) : ""));
    }

    private async Task<bool> StopProcessAsync(string reason)
    {
        if (_state == RunnerState.Failed) MoveTo(RunnerState.Stopped, reason);
        if (_process is not { } process) return false;

        Log.RunnerStopping(_logger, ModelId, process.ProcessId);
        _startCancel?.Cancel();
        MoveTo(RunnerState.Stopping, reason);
        await process.StopAsync(_options.StopGracePeriod);
        await _startTask.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        DisposeStartCancel();
        _process = null;
        FailWaiters($"{ModelId} was {reason} before it was ready");
        MoveTo(RunnerState.Stopped, reason);
        return true;
    }

    private void Fail(string reason)
    {
        _lastFailure = reason;
        var now = _time.GetUtcNow();
        _recentFailures.Enqueue(now);
        while (_recentFailures.Peek() <= now - _options.CrashLoopWindow) _recentFailures.Dequeue();
        if (_recentFailures.Count >= _options.CrashLoopLimit)
        {
            _backOffUntil = now + _options.CrashLoopBackOff;
            _recentFailures.Clear();
        }
        MoveTo(RunnerState.Failed, reason);
        FailWaiters(reason);
    }

    private void FailWaiters(string reason)
    {
        foreach (var waiter in _waiters) waiter.TrySetException(new RunnerStartException(reason));
        _waiters.Clear();
    }

    private void DisposeStartCancel()
    {
        _startCancel?.Dispose();
        _startCancel = null;
    }

    private void MoveTo(RunnerState to, string? reason)
    {
        var from = _state;
        if (!RunnerTransitions.IsValid(from, to)) throw new InvalidOperationException($"{ModelId}: {from} to {to} is not a valid transition.");
        _state = to;
        _status = new RunnerStatus(to, to is RunnerState.Stopped or RunnerState.Failed ? null : _process, reason);
        Log.RunnerStateChanged(_logger, ModelId, from, to, reason);
        _events.Publish(new RunnerStateChanged(ModelId, from, to, reason, _time.GetUtcNow()));
    }
}
