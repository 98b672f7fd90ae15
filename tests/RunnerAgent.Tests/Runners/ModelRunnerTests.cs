using LlamaAspire.RunnerAgent.Metadata;
using LlamaAspire.RunnerAgent.Processes;
using LlamaAspire.RunnerAgent.Runners;
using LlamaAspire.RunnerAgent.Tests.Support;
using LlamaAspire.TestSupport.Time;

namespace LlamaAspire.RunnerAgent.Tests.Runners;

/// <summary>The actor's semantics against a fake launcher: joins, failures, crashes, back-off and stops.</summary>
public sealed class ModelRunnerTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly ManualTimeProvider _time = new();
    private readonly RunnerEvents _events = new();
    private readonly RunnerOptions _options = new() { CrashLoopLimit = 3, CrashLoopWindow = TimeSpan.FromMinutes(1), CrashLoopBackOff = TimeSpan.FromMinutes(2) };
    private FakeRunnerLauncher _launcher = null!;
    private ModelRunner _runner = null!;
    private RunnerEventSubscription _changes = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _launcher = new FakeRunnerLauncher(_time);
        _changes = _events.Subscribe();
        _runner = new ModelRunner(new RunnerLaunch(new ModelInfo("tiny", "/models/tiny.gguf", 1), "/bin/llama-server"), _launcher, _events, _options, _time,
            new TestOutputLogger<ModelRunner>(output));
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _runner.DisposeAsync();
        _changes.Dispose();
    }

    [Fact]
    public async Task EnsureReadyAsync_Stopped_StartsAndEmitsStartingThenReady()
    {
        _launcher.ReadyAtOnce = true;

        var process = await _runner.EnsureReadyAsync(Ct);

        Assert.Equal(1, process.ProcessId);
        Assert.Equal(RunnerState.Ready, _runner.Status.State);
        Assert.Same(process, _runner.Status.Process);
        var starting = await _changes.Reader.ReadAsync(Ct);
        var ready = await _changes.Reader.ReadAsync(Ct);
        Assert.Equal(("tiny", RunnerState.Stopped, RunnerState.Starting), (starting.ModelId, starting.From, starting.To));
        Assert.Equal((RunnerState.Starting, RunnerState.Ready, _time.GetUtcNow()), (ready.From, ready.To, ready.At));
    }

    [Fact]
    public async Task EnsureReadyAsync_ConcurrentCallersWhileStarting_JoinOneStart()
    {
        var callers = Enumerable.Range(0, 5).Select(_ => _runner.EnsureReadyAsync(Ct)).ToList();
        var process = await _launcher.NextStartedAsync(Ct);
        await _changes.NextToAsync(RunnerState.Starting, Ct);
        Assert.All(callers, c => Assert.False(c.IsCompleted));

        process.BecomeReady();

        Assert.All(await Task.WhenAll(callers), p => Assert.Same(process, p));
        Assert.Equal(1, _launcher.Starts);
        Assert.Same(process, await _runner.EnsureReadyAsync(Ct));
        Assert.Equal(1, _launcher.Starts);
    }

    [Fact]
    public async Task EnsureReadyAsync_ProcessExitsWhileLoading_FailsEveryCallerWithExitCodeAndOutput()
    {
        var callers = Enumerable.Range(0, 3).Select(_ => _runner.EnsureReadyAsync(Ct)).ToList();
        var process = await _launcher.NextStartedAsync(Ct);

        process.Exit(1, "gguf_init_from_file_impl: invalid magic characters");

        foreach (var caller in callers)
        {
            var e = await Assert.ThrowsAsync<RunnerStartException>(() => caller);
            Assert.Contains("exited with code 1 while loading", e.Message, StringComparison.Ordinal);
            Assert.Contains("invalid magic characters", e.Message, StringComparison.Ordinal);
        }
        var failed = await _changes.NextToAsync(RunnerState.Failed, Ct);
        Assert.Equal(RunnerState.Starting, failed.From);
        Assert.Contains("exited with code 1", failed.Reason, StringComparison.Ordinal);
        Assert.Equal(RunnerState.Failed, _runner.Status.State);
        Assert.Null(_runner.Status.Process);
    }

    [Fact]
    public async Task EnsureReadyAsync_CrashedWhileReady_ReportsTheCrashAndStartsANewProcess()
    {
        _launcher.ReadyAtOnce = true;
        var first = (FakeRunnerProcess)await _runner.EnsureReadyAsync(Ct);

        first.Exit(139, "ggml_abort: out of memory");

        var crash = await _changes.NextToAsync(RunnerState.Failed, Ct);
        Assert.Equal(RunnerState.Ready, crash.From);
        Assert.Contains("exited with code 139", crash.Reason, StringComparison.Ordinal);
        Assert.Contains("out of memory", crash.Reason, StringComparison.Ordinal);
        var second = await _runner.EnsureReadyAsync(Ct);
        Assert.Equal(2, second.ProcessId);
        Assert.Equal(RunnerState.Starting, (await _changes.Reader.ReadAsync(Ct)).To);
    }

    [Fact]
    public async Task EnsureReadyAsync_CrashLoop_RefusesUntilTheBackOffEnds()
    {
        _launcher.ReadyAtOnce = true;
        for (var crash = 0; crash < _options.CrashLoopLimit; crash++)
        {
            var process = (FakeRunnerProcess)await _runner.EnsureReadyAsync(Ct);
            process.Exit(139);
            await _changes.NextToAsync(RunnerState.Failed, Ct);
            _time.Advance(TimeSpan.FromSeconds(10));
        }

        var refused = await Assert.ThrowsAsync<RunnerStartException>(() => _runner.EnsureReadyAsync(Ct));
        output.WriteLine(refused.Message);
        Assert.StartsWith("tiny failed 3 times within 60 s; not starting it again before ", refused.Message, StringComparison.Ordinal);
        Assert.Contains("exited with code 139", refused.Message, StringComparison.Ordinal);
        Assert.Equal(3, _launcher.Starts);

        _time.Advance(_options.CrashLoopBackOff);
        Assert.Equal(4, (await _runner.EnsureReadyAsync(Ct)).ProcessId);
    }

    [Fact]
    public async Task EnsureReadyAsync_FailuresSpreadBeyondTheWindow_NeverBacksOff()
    {
        _launcher.ReadyAtOnce = true;
        for (var crash = 0; crash < 5; crash++)
        {
            var process = (FakeRunnerProcess)await _runner.EnsureReadyAsync(Ct);
            process.Exit(139);
            await _changes.NextToAsync(RunnerState.Failed, Ct);
            _time.Advance(_options.CrashLoopWindow / 2);
        }

        Assert.Equal(6, (await _runner.EnsureReadyAsync(Ct)).ProcessId);
    }

    [Fact]
    public async Task StopAsync_WhileStarting_StopsTheProcessAndFailsTheWaiters()
    {
        var caller = _runner.EnsureReadyAsync(Ct);
        var process = await _launcher.NextStartedAsync(Ct);

        Assert.True(await _runner.StopAsync());

        var e = await Assert.ThrowsAsync<RunnerStartException>(() => caller);
        Assert.Equal("tiny was stopped before it was ready", e.Message);
        Assert.Equal(1, process.StopRequests);
        Assert.True(process.Exited.IsCompleted);
        Assert.Equal(RunnerState.Stopped, _runner.Status.State);
        Assert.Equal(RunnerState.Stopping, (await _changes.NextToAsync(RunnerState.Stopping, Ct)).To);
        Assert.Equal(RunnerState.Stopping, (await _changes.NextToAsync(RunnerState.Stopped, Ct)).From);
    }

    [Fact]
    public async Task EnsureReadyAsync_WhileStopping_StartsOnlyAfterTheOldProcessExited()
    {
        _launcher.ReadyAtOnce = true;
        _launcher.HoldStops = true;
        var first = (FakeRunnerProcess)await _runner.EnsureReadyAsync(Ct);
        _launcher.HoldStops = false;
        var stop = _runner.StopAsync();
        await _changes.NextToAsync(RunnerState.Stopping, Ct);

        var again = _runner.EnsureReadyAsync(Ct);
        Assert.False(again.IsCompleted);
        first.ReleaseStop();

        Assert.True(await stop);
        Assert.Equal(2, (await again).ProcessId);
        Assert.Equal(1, _launcher.MostAliveAtOnce);
    }

    [Fact]
    public async Task EnsureReadyAsync_CallerGivesUp_TheStartGoesOnForTheNextCaller()
    {
        using var impatient = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var gaveUp = _runner.EnsureReadyAsync(impatient.Token);
        var process = await _launcher.NextStartedAsync(Ct);

        await impatient.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gaveUp);
        var next = _runner.EnsureReadyAsync(Ct);
        process.BecomeReady();

        Assert.Same(process, await next);
        Assert.Equal(1, _launcher.Starts);
    }

    [Fact]
    public async Task EnsureReadyAsync_LaunchThrows_FailsNamingTheBinary()
    {
        _launcher.LaunchFailure = new System.ComponentModel.Win32Exception("Permission denied");

        var e = await Assert.ThrowsAsync<RunnerStartException>(() => _runner.EnsureReadyAsync(Ct));

        Assert.Equal("could not start /bin/llama-server: Permission denied", e.Message);
        Assert.Equal(RunnerState.Failed, _runner.Status.State);
    }

    [Fact]
    public async Task StopAsync_Failed_ReturnsFalseAndMovesToStopped()
    {
        var caller = _runner.EnsureReadyAsync(Ct);
        (await _launcher.NextStartedAsync(Ct)).Exit(1);
        await Assert.ThrowsAsync<RunnerStartException>(() => caller);

        Assert.False(await _runner.StopAsync());

        Assert.Equal(RunnerState.Stopped, _runner.Status.State);
        Assert.False(await _runner.StopAsync());
    }

    [Fact]
    public async Task DisposeAsync_Ready_StopsTheProcessAndRefusesLaterCalls()
    {
        _launcher.ReadyAtOnce = true;
        var process = (FakeRunnerProcess)await _runner.EnsureReadyAsync(Ct);

        await _runner.DisposeAsync();

        Assert.Equal(1, process.StopRequests);
        Assert.Equal(RunnerState.Stopped, _runner.Status.State);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => _runner.EnsureReadyAsync(Ct));
    }
}
