using System.Diagnostics;
using LlamaAspire.RunnerAgent.LlamaServer;
using LlamaAspire.RunnerAgent.Metadata;
using Microsoft.Extensions.Options;

namespace LlamaAspire.RunnerAgent.Runners;

/// <summary>
/// The walking skeleton of the scheduler: one llama-server per model, at most MaxRunners at once (least recently used
/// goes first), every start and stop serialized. The per-model actor, leases and idle unload replace it later.
/// </summary>
public sealed class RunnerRegistry(
    LlamaServerLocator locator,
    MetadataClient metadata,
    IOptions<RunnerOptions> options,
    TimeProvider timeProvider,
    ILogger<RunnerRegistry> logger) : IHostedService, IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, (LlamaServerProcess Process, DateTimeOffset LastUsed)> _running = new(StringComparer.OrdinalIgnoreCase);
    private readonly HttpClient _health = new() { Timeout = TimeSpan.FromSeconds(2) };

    public async Task<StartResult> EnsureStartedAsync(string modelId, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (_running.TryGetValue(modelId, out var existing) && !existing.Process.Exited.IsCompleted)
            {
                _running[modelId] = (existing.Process, timeProvider.GetUtcNow());
                return new StartResult.Ready(Describe(existing.Process, "ready"));
            }

            var model = await metadata.FindAsync(modelId, ct);
            if (model is null) return new StartResult.ModelNotFound(modelId);
            string binary;
            try
            {
                binary = await locator.GetPathAsync(ct);
            }
            catch (Exception e) when (e is InvalidOperationException or FileNotFoundException)
            {
                return new StartResult.Failed(model.Id, $"llama-server is not available: {e.Message}");
            }

            while (_running.Count >= options.Value.MaxRunners)
                await StopLockedAsync(_running.MinBy(r => r.Value.LastUsed).Key);

            var started = Stopwatch.StartNew();
            var process = LlamaServerProcess.Start(binary, model, timeProvider, logger);
            Log.RunnerStarting(logger, model.Id, process.Port, process.ProcessId);
            try
            {
                await process.WaitUntilReadyAsync(_health, options.Value.LoadStallTimeout, ct);
            }
            catch (Exception e) when (e is LlamaServerStartException or OperationCanceledException)
            {
                await process.StopAsync(options.Value.StopGracePeriod);
                if (e is OperationCanceledException) throw;
                return new StartResult.Failed(model.Id, e.Message);
            }
            Log.RunnerReady(logger, model.Id, process.Port, started.ElapsedMilliseconds);
            _running[modelId] = (process, timeProvider.GetUtcNow());
            _ = ForgetWhenExitedAsync(modelId, process);
            return new StartResult.Ready(Describe(process, "ready"));
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<bool> StopAsync(string modelId)
    {
        await _gate.WaitAsync();
        try
        {
            return await StopLockedAsync(modelId);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<IReadOnlyList<RunnerInfo>> ListAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            return [.. _running.Values.Where(r => !r.Process.Exited.IsCompleted).Select(r => Describe(r.Process, "ready") with { LastUsedAt = r.LastUsed })];
        }
        finally
        {
            _gate.Release();
        }
    }

    Task IHostedService.StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The host is stopping: no llama-server outlives us.</summary>
    async Task IHostedService.StopAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(CancellationToken.None);
        try
        {
            await Task.WhenAll(_running.Keys.ToList().Select(StopLockedAsync));
        }
        finally
        {
            _gate.Release();
        }
    }

    public ValueTask DisposeAsync()
    {
        _health.Dispose();
        _gate.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<bool> StopLockedAsync(string modelId)
    {
        if (!_running.Remove(modelId, out var runner)) return false;
        Log.RunnerStopping(logger, runner.Process.Model.Id, runner.Process.ProcessId);
        await runner.Process.StopAsync(options.Value.StopGracePeriod);
        return true;
    }

    private async Task ForgetWhenExitedAsync(string modelId, LlamaServerProcess process)
    {
        var exitCode = await process.Exited;
        await _gate.WaitAsync();
        try
        {
            if (_running.TryGetValue(modelId, out var current) && current.Process == process)
            {
                _running.Remove(modelId);
                Log.RunnerExitedUnexpectedly(logger, modelId, exitCode);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private RunnerInfo Describe(LlamaServerProcess process, string state) =>
        new(process.Model.Id, state, process.Endpoint.ToString().TrimEnd('/'), process.Port, process.ProcessId,
            process.StartedAt, timeProvider.GetUtcNow(), process.Binary);
}
