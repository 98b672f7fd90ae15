using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using LlamaAspire.RunnerAgent.LlamaServer;
using LlamaAspire.RunnerAgent.Metadata;
using LlamaAspire.RunnerAgent.Processes;
using LlamaAspire.RunnerAgent.Runners;
using Microsoft.Extensions.Options;

namespace LlamaAspire.RunnerAgent.Scheduling;

/// <summary>
/// Carries out <see cref="SchedulerCore"/>'s decisions. One loop reads the inbox and is the only caller of the core;
/// loads and unloads run on each model's <see cref="ModelRunner"/> and report back as messages. Callers get leases:
/// the right to use a model's llama-server directly until they release it.
/// </summary>
public sealed class RunnerScheduler : IHostedService, IAsyncDisposable
{
    private readonly Channel<SchedulerMessage> _inbox = Channel.CreateUnbounded<SchedulerMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly LlamaServerLocator _locator;
    private readonly MetadataClient _metadata;
    private readonly IRunnerProcessLauncher _launcher;
    private readonly RunnerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SchedulerCore _core;
    private readonly ITimer _timer;
    private readonly Task _loop;
    private readonly ConcurrentDictionary<string, ModelRunner> _runners = new(StringComparer.OrdinalIgnoreCase);
    private long _nextRequestId;

    // Written by the loop only.
    private readonly Dictionary<long, TaskCompletionSource<LeaseGrant>> _pending = [];
    private readonly Dictionary<string, IRunnerProcess> _processes = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<TaskCompletionSource<bool>>> _unloadWaiters = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<Task> _work = [];
    private readonly Dictionary<string, string> _publishedStates = new(StringComparer.OrdinalIgnoreCase);

    public RunnerScheduler(
        LlamaServerLocator locator,
        MetadataClient metadata,
        IRunnerProcessLauncher launcher,
        RunnerEvents events,
        IOptions<RunnerOptions> options,
        TimeProvider timeProvider,
        ILogger<RunnerScheduler> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _locator = locator;
        _metadata = metadata;
        _launcher = launcher;
        Events = events;
        _options = options.Value;
        _time = timeProvider;
        _logger = logger;
        Budget = MemoryBudget.Resolve(_options.MemoryBudgetMiB);
        _core = new SchedulerCore(
            new SchedulerPolicy(_options.MaxRunners, Budget.Bytes, _options.MaxQueuePerModel, _options.SwapTimeout, _options.MaxWaitBeforeSwap, _options.LeaseTimeout),
            timeProvider);
        _timer = timeProvider.CreateTimer(_ => _inbox.Writer.TryWrite(new SchedulerMessage.Tick()), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _loop = RunAsync();
    }

    public RunnerEvents Events { get; }

    /// <summary>A model's full status each time its state changes (GET /runners/events).</summary>
    public RunnerStatusFeed StatusFeed { get; } = new();

    public MemoryBudget.Resolved Budget { get; }

    /// <summary>
    /// Waits in the model's queue until it is loaded and has room, then leases it. Giving up (<paramref name="ct"/>)
    /// leaves the queue at once; a lease granted in that moment is released.
    /// </summary>
    public async Task<AcquireResult> AcquireAsync(LeaseRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ModelInfo? model;
        try
        {
            model = await _metadata.FindAsync(request.Model, ct);
        }
        catch (MetadataLookupException e)
        {
            return new AcquireResult.Rejected(request.Model, new SchedulerError(SchedulerErrorKind.LoadFailed, e.Message));
        }
        if (model is null) return new AcquireResult.ModelNotFound(request.Model);

        RunnerLaunch? launch = null;
        try
        {
            // Only a model's first request decides how it is started; later ones find its runner.
            if (!_runners.ContainsKey(model.Id)) launch = await LaunchForAsync(model, ct);
        }
        catch (LlamaServerFlagsException e)
        {
            return new AcquireResult.Rejected(model.Id, new SchedulerError(SchedulerErrorKind.LoadFailed, e.Message));
        }
        catch (Exception e) when (e is InvalidOperationException or FileNotFoundException)
        {
            return new AcquireResult.Rejected(model.Id, new SchedulerError(SchedulerErrorKind.LoadFailed, $"llama-server is not available: {e.Message}"));
        }

        var id = Interlocked.Increment(ref _nextRequestId);
        var reply = new TaskCompletionSource<LeaseGrant>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(new SchedulerMessage.Enqueue(id, ModelRequestFor(model, request), launch, reply));
        LeaseGrant lease;
        using (ct.Register(() => _inbox.Writer.TryWrite(new SchedulerMessage.Cancel(id))))
        {
            try
            {
                lease = await reply.Task;
            }
            catch (SchedulerRejectedException e)
            {
                return new AcquireResult.Rejected(model.Id, e.Error);
            }
        }
        if (ct.IsCancellationRequested)
        {
            await ReleaseAsync(lease.LeaseId);
            ct.ThrowIfCancellationRequested();
        }
        return new AcquireResult.Granted(lease);
    }

    /// <summary>Ends a lease; false when it was unknown (already released, or taken back after lapsing).</summary>
    public Task<bool> ReleaseAsync(Guid leaseId) => Ask<bool>(reply => new SchedulerMessage.Release(leaseId, reply));

    /// <summary>Keeps a lease alive; null when it is unknown.</summary>
    public Task<DateTimeOffset?> RenewAsync(Guid leaseId) => Ask<DateTimeOffset?>(reply => new SchedulerMessage.Renew(leaseId, reply));

    /// <summary>Loads the model (or finds it loaded) without keeping a lease: its keep-alive starts now.</summary>
    public async Task<StartResult> EnsureStartedAsync(LeaseRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        switch (await AcquireAsync(request, ct))
        {
            case AcquireResult.Granted granted:
                var whileLeased = await FindAsync(granted.Lease.ModelId, ct);
                await ReleaseAsync(granted.Lease.LeaseId);
                // A keep-alive of 0 may have begun its unload already: then report it as it was, without our lease.
                return new StartResult.Ready(await FindAsync(granted.Lease.ModelId, ct) ?? whileLeased! with { InFlight = whileLeased!.InFlight - 1 });
            case AcquireResult.ModelNotFound notFound:
                return new StartResult.ModelNotFound(notFound.Model);
            case AcquireResult.Rejected rejected:
                return new StartResult.Failed(rejected.Model, rejected.Error.Message, rejected.Error.Kind);
            default:
                throw new InvalidOperationException("Unknown acquire result.");
        }
    }

    public Task<StartResult> EnsureStartedAsync(string model, CancellationToken ct) => EnsureStartedAsync(new LeaseRequest(model), ct);

    /// <summary>Unloads the model once its in-flight requests end; false when it has no process.</summary>
    public Task<bool> StopAsync(string modelId) => Ask<bool>(reply => new SchedulerMessage.Unload(modelId, reply));

    /// <summary>Unloads every model once its in-flight requests end; returns how many had a process.</summary>
    public Task<int> StopAllAsync() => Ask<int>(reply => new SchedulerMessage.UnloadAll(reply));

    /// <summary>The output of a model that has run here, across its restarts; null for one that never ran.</summary>
    public RunnerLog? FindLog(string modelId) => _runners.GetValueOrDefault(modelId)?.OutputLog;

    /// <summary>Models with a process or waiting requests; empty once the scheduler has shut down.</summary>
    public async Task<IReadOnlyList<RunnerInfo>> ListAsync(CancellationToken ct)
    {
        var reply = new TaskCompletionSource<IReadOnlyList<SlotSnapshot>>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_inbox.Writer.TryWrite(new SchedulerMessage.Snapshot(reply))) return [];
        var slots = await reply.Task.WaitAsync(ct);
        return
        [
            .. slots.Where(s => s.Phase != SlotPhase.Unloaded || s.Queued > 0)
                .Select(s => Describe(s, _runners.GetValueOrDefault(s.ModelId)))
                .OrderBy(r => r.Model, StringComparer.OrdinalIgnoreCase),
        ];
    }

    private async Task<RunnerInfo?> FindAsync(string modelId, CancellationToken ct) =>
        (await ListAsync(ct)).FirstOrDefault(r => r.Model.Equals(modelId, StringComparison.OrdinalIgnoreCase));

    Task IHostedService.StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The host is stopping: waiting requests are answered and no llama-server outlives us.</summary>
    async Task IHostedService.StopAsync(CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (_inbox.Writer.TryWrite(new SchedulerMessage.Shutdown(done))) await done.Task;
        await _loop;
    }

    public async ValueTask DisposeAsync()
    {
        await ((IHostedService)this).StopAsync(CancellationToken.None);
        await _timer.DisposeAsync();
    }

    private async Task<RunnerLaunch> LaunchForAsync(ModelInfo model, CancellationToken ct)
    {
        var settings = _options.SettingsFor(model.Id);
        var runtime = settings?.Runtime ?? RunnerLaunch.DefaultRuntime;
        var binary = runtime == RunnerLaunch.DefaultRuntime ? await _locator.GetPathAsync(ct) : _options.Runtimes[runtime];
        if (!File.Exists(binary)) throw new FileNotFoundException($"the runtime '{runtime}' ({binary}) does not exist", binary);
        var args = settings?.Args ?? [];
        await LlamaServerFlags.ValidateAsync(binary, args, $"model {model.Id}'s args", _logger);
        var flags = await ProbeOrNullAsync(binary);
        return new RunnerLaunch(
            model, binary, 0, settings?.Parallel ?? DefaultParallel(model), args, runtime, flags?.Knows("--kv-unified") == true, flags?.Version?.ToString());
    }

    /// <summary>What the binary's --help and --version said; null when they could not be run (the start will then say why).</summary>
    private async Task<LlamaServerFlagSet?> ProbeOrNullAsync(string binary)
    {
        try
        {
            return await LlamaServerFlags.ProbeAsync(binary, _logger);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception or IOException)
        {
            return null;
        }
    }

    // An embedding input needs the whole context for itself (it is decoded at once, and the Gateway cuts inputs to the
    // context length, as Ollama does); several slots sharing one context could not hold two such inputs at once.
    private int DefaultParallel(ModelInfo model) => model.IsEmbedding ? 1 : _options.Parallel;

    private ModelRequest ModelRequestFor(ModelInfo model, LeaseRequest request)
    {
        var settings = _options.SettingsFor(model.Id);
        var trained = model.Facts?.ContextLength is > 0 and var t ? (int)Math.Min(t, int.MaxValue) : int.MaxValue;
        var defaultContext = Math.Min(settings?.ContextLength ?? _options.DefaultContextLength, trained);
        int? required = request.ContextLength is > 0 and var asked ? Math.Min(asked, trained) : null;
        var keepAlive = request.KeepAlive ?? ParseKeepAlive(settings?.KeepAlive ?? _options.DefaultKeepAlive);
        return new ModelRequest(model, required, defaultContext, keepAlive);
    }

    private static TimeSpan ParseKeepAlive(string text) =>
        KeepAlive.TryParse(text, out var keepAlive, out var error) ? keepAlive : throw new InvalidOperationException(error);   // validated on start

    private RunnerInfo Describe(SlotSnapshot slot, ModelRunner? runner)
    {
        var process = runner?.Status.Process;
        var state = slot.Phase switch
        {
            SlotPhase.Unloaded => "queued",
            _ => slot.Phase.ToString().ToLowerInvariant(),
        };
        IReadOnlyList<string>? args = process is null ? null : [process.Launch.Binary, .. LlamaServerArgs.For(process.Launch, process.Port)];
        return new RunnerInfo(
            slot.ModelId, state, process?.Endpoint.ToString().TrimEnd('/'), process?.Port, process?.ProcessId, slot.ContextLength,
            runner?.Launch.Parallel ?? _options.Parallel, process?.StartedAt, slot.LastUsed, slot.ExpiresAt, slot.InFlight, slot.Queued,
            slot.EstimateBytes, process is null ? null : ResidentBytes(process.ProcessId), runner?.Launch.Runtime ?? RunnerLaunch.DefaultRuntime,
            runner?.Launch.Binary ?? "", runner?.Launch.RuntimeVersion, process?.LoadProgress, args);
    }

    /// <summary>Called by the loop after each message: publishes every model whose listed state changed, and
    /// "unloaded" for one that left the list.</summary>
    private void PublishStatusChanges()
    {
        foreach (var slot in _core.Snapshot())
        {
            var listed = slot.Phase != SlotPhase.Unloaded || slot.Queued > 0;
            var state = listed ? (slot.Phase == SlotPhase.Unloaded ? "queued" : slot.Phase.ToString().ToLowerInvariant()) : "unloaded";
            var before = _publishedStates.GetValueOrDefault(slot.ModelId, "unloaded");
            if (state == before) continue;
            if (listed) _publishedStates[slot.ModelId] = state;
            else _publishedStates.Remove(slot.ModelId);
            if (StatusFeed.SubscriberCount == 0) continue;
            var info = Describe(slot, _runners.GetValueOrDefault(slot.ModelId));
            StatusFeed.Publish(listed ? info : info with { State = state });
        }
    }

    private static long? ResidentBytes(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.WorkingSet64;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return null;   // it has just exited
        }
    }

    private Task<T> Ask<T>(Func<TaskCompletionSource<T>, SchedulerMessage> message)
    {
        var reply = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(message(reply));
        return reply.Task;
    }

    private void Post(SchedulerMessage message)
    {
        if (!_inbox.Writer.TryWrite(message)) throw new ObjectDisposedException(nameof(RunnerScheduler), "The scheduler has shut down.");
    }

    private async Task RunAsync()
    {
        await foreach (var message in _inbox.Reader.ReadAllAsync())
        {
            try
            {
                if (message is SchedulerMessage.Shutdown shutdown)
                {
                    await ShutDownAsync();
                    shutdown.Reply.TrySetResult();
                    return;
                }
                Handle(message);
                PublishStatusChanges();
            }
            catch (Exception e)
            {
                Log.SchedulerMessageFailed(_logger, message.GetType().Name, e);
            }
            ScheduleWake();
        }
    }

    private void Handle(SchedulerMessage message)
    {
        switch (message)
        {
            case SchedulerMessage.Enqueue m:
                _pending[m.RequestId] = m.Reply;
                // Its exit may be known before the watcher's message arrives: never lease a dead endpoint.
                if (_processes.GetValueOrDefault(m.Request.Model.Id) is { HasExited: true } gone) OnCrashed(m.Request.Model.Id, gone);
                if (m.Launch is { } launch) _runners.GetOrAdd(m.Request.Model.Id, _ => new ModelRunner(launch, _launcher, Events, _options, _time, _logger));
                Apply(_core.Enqueue(m.RequestId, m.Request));
                break;
            case SchedulerMessage.Cancel m:
                if (!_pending.Remove(m.RequestId, out var cancelled)) break;   // already granted or rejected
                cancelled.TrySetCanceled();
                Apply(_core.Cancel(m.RequestId));
                break;
            case SchedulerMessage.Release m:
                Apply(_core.Release(m.LeaseId, out var found));
                m.Reply.TrySetResult(found);
                break;
            case SchedulerMessage.Renew m:
                m.Reply.TrySetResult(_core.Renew(m.LeaseId));
                break;
            case SchedulerMessage.LoadCompleted { Process: { } process } m:
                _processes[m.ModelId] = process;
                _work.Add(WatchExitAsync(m.ModelId, process));
                Apply(_core.LoadSucceeded(m.ModelId, process.Endpoint));
                break;
            case SchedulerMessage.LoadCompleted m:
                Apply(_core.LoadFailed(m.ModelId, m.Error ?? "the load failed"));
                break;
            case SchedulerMessage.ProcessExited m:
                OnCrashed(m.ModelId, m.Process);
                break;
            case SchedulerMessage.UnloadCompleted m:
                _processes.Remove(m.ModelId);
                Apply(_core.Unloaded(m.ModelId));
                if (_unloadWaiters.Remove(m.ModelId, out var waiters)) foreach (var waiter in waiters) waiter.TrySetResult(true);
                break;
            case SchedulerMessage.Unload m:
                Apply(_core.RequestUnload(m.ModelId, out var hasProcess));
                if (hasProcess) WaitForUnload(m.ModelId, m.Reply);
                else m.Reply.TrySetResult(false);
                break;
            case SchedulerMessage.UnloadAll m:
                Apply(_core.RequestUnloadAll(out var models));
                _ = CompleteWhenAllAsync(models.Select(model =>
                {
                    var reply = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                    WaitForUnload(model, reply);
                    return reply.Task;
                }).ToList(), m.Reply);
                break;
            case SchedulerMessage.Snapshot m:
                m.Reply.TrySetResult(_core.Snapshot());
                break;
            case SchedulerMessage.Tick:
                Apply(_core.Tick());
                break;
            default:
                throw new InvalidOperationException($"Unknown message {message}.");
        }
        _work.RemoveAll(t => t.IsCompleted);
    }

    private void OnCrashed(string modelId, IRunnerProcess process)
    {
        if (_processes.GetValueOrDefault(modelId) != process) return;   // an unload we asked for, or already handled
        _processes.Remove(modelId);
        Log.RunnerCrashed(_logger, modelId);
        Apply(_core.Crashed(modelId));
    }

    private void WaitForUnload(string modelId, TaskCompletionSource<bool> reply)
    {
        if (!_unloadWaiters.TryGetValue(modelId, out var waiters)) _unloadWaiters[modelId] = waiters = [];
        waiters.Add(reply);
    }

    private static async Task CompleteWhenAllAsync(List<Task<bool>> unloads, TaskCompletionSource<int> reply)
    {
        await Task.WhenAll(unloads);
        reply.TrySetResult(unloads.Count);
    }

    private void Apply(IReadOnlyList<SchedulerAction> actions)
    {
        foreach (var action in actions)
        {
            switch (action)
            {
                case SchedulerAction.Load load:
                    _work.Add(LoadAsync(_runners[load.ModelId], load.ContextLength));
                    break;
                case SchedulerAction.Unload unload:
                    Log.Unloading(_logger, unload.ModelId, unload.Reason);
                    _work.Add(UnloadAsync(_runners[unload.ModelId]));
                    break;
                case SchedulerAction.Grant grant:
                    if (_pending.Remove(grant.RequestId, out var granted)) granted.TrySetResult(grant.Lease);
                    break;
                case SchedulerAction.Reject reject:
                    if (_pending.Remove(reject.RequestId, out var rejected)) rejected.TrySetException(new SchedulerRejectedException(reject.Error));
                    break;
                case SchedulerAction.LeaseReclaimed reclaimed:
                    Log.LeaseReclaimed(_logger, reclaimed.LeaseId, reclaimed.ModelId, _options.LeaseTimeout.TotalSeconds);
                    break;
            }
        }
    }

    private async Task LoadAsync(ModelRunner runner, int contextLength)
    {
        IRunnerProcess? process = null;
        string? error = null;
        try
        {
            process = await runner.EnsureReadyAsync(contextLength, CancellationToken.None);
        }
        catch (Exception e) when (e is RunnerStartException or ObjectDisposedException)
        {
            error = e.Message;
        }
        _inbox.Writer.TryWrite(new SchedulerMessage.LoadCompleted(runner.ModelId, process, error));
    }

    private async Task UnloadAsync(ModelRunner runner)
    {
        try
        {
            await runner.StopAsync();
        }
        catch (ObjectDisposedException)
        {
            // Shutting down: the runner stops its process itself.
        }
        _inbox.Writer.TryWrite(new SchedulerMessage.UnloadCompleted(runner.ModelId));
    }

    private async Task WatchExitAsync(string modelId, IRunnerProcess process)
    {
        await process.Exited;
        _inbox.Writer.TryWrite(new SchedulerMessage.ProcessExited(modelId, process));
    }

    private void ScheduleWake()
    {
        var next = _core.NextWakeAt();
        var due = next is { } at ? TimeSpan.FromTicks(Math.Max(0, (at - _time.GetUtcNow()).Ticks)) : Timeout.InfiniteTimeSpan;
        _timer.Change(due, Timeout.InfiniteTimeSpan);
    }

    private async Task ShutDownAsync()
    {
        _inbox.Writer.TryComplete();
        _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        Apply(_core.RejectAllQueued("the runner agent is shutting down"));
        await Task.WhenAll(_runners.Values.Select(r => r.DisposeAsync().AsTask()));
        foreach (var waiters in _unloadWaiters.Values) foreach (var waiter in waiters) waiter.TrySetResult(true);
        _unloadWaiters.Clear();
        foreach (var pending in _pending.Values) pending.TrySetException(new SchedulerRejectedException(
            new SchedulerError(SchedulerErrorKind.ShuttingDown, "the runner agent is shutting down")));
        _pending.Clear();
        // Messages that raced the shutdown still get an answer.
        while (_inbox.Reader.TryRead(out var late)) FailLate(late);
    }

    private static void FailLate(SchedulerMessage message)
    {
        switch (message)
        {
            case SchedulerMessage.Enqueue m: m.Reply.TrySetException(new SchedulerRejectedException(new SchedulerError(SchedulerErrorKind.ShuttingDown, "the runner agent is shutting down"))); break;
            case SchedulerMessage.Release m: m.Reply.TrySetResult(false); break;
            case SchedulerMessage.Renew m: m.Reply.TrySetResult(null); break;
            case SchedulerMessage.Unload m: m.Reply.TrySetResult(false); break;
            case SchedulerMessage.UnloadAll m: m.Reply.TrySetResult(0); break;
            case SchedulerMessage.Snapshot m: m.Reply.TrySetResult([]); break;
            case SchedulerMessage.Shutdown m: m.Reply.TrySetResult(); break;
            default: break;
        }
    }
}

/// <summary>The scheduler answered a request with an error instead of a lease.</summary>
public sealed class SchedulerRejectedException(SchedulerError error) : Exception(error.Message)
{
    public SchedulerError Error { get; } = error;
}
