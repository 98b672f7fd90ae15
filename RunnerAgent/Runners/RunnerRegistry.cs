using LlamaAspire.RunnerAgent.LlamaServer;
using LlamaAspire.RunnerAgent.Metadata;
using LlamaAspire.RunnerAgent.Processes;
using Microsoft.Extensions.Options;

namespace LlamaAspire.RunnerAgent.Runners;

/// <summary>
/// Model id to its <see cref="ModelRunner"/>. Admissions are serialized so that at most MaxRunners have a process
/// (least recently used goes first); each runner decides its own start and stop. Queues, leases and idle unload come later.
/// </summary>
public sealed class RunnerRegistry(
    LlamaServerLocator locator,
    MetadataClient metadata,
    IRunnerProcessLauncher launcher,
    RunnerEvents events,
    IOptions<RunnerOptions> options,
    TimeProvider timeProvider,
    ILogger<RunnerRegistry> logger) : IHostedService, IAsyncDisposable
{
    private readonly SemaphoreSlim _admission = new(1, 1);
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _runners = new(StringComparer.OrdinalIgnoreCase);

    public RunnerEvents Events => events;

    public async Task<StartResult> EnsureStartedAsync(string modelId, CancellationToken ct)
    {
        await _admission.WaitAsync(ct);
        try
        {
            var entry = Find(modelId);
            if (entry is null)
            {
                ModelInfo? model;
                try
                {
                    model = await metadata.FindAsync(modelId, ct);
                }
                catch (MetadataLookupException e)
                {
                    return new StartResult.Failed(modelId, e.Message);
                }
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
                entry = new Entry(new ModelRunner(model, binary, launcher, events, options.Value, timeProvider, logger));
                lock (_lock) _runners[modelId] = entry;
            }

            await EvictForAsync(entry);
            entry.LastUsed = timeProvider.GetUtcNow();
            try
            {
                var process = await entry.Runner.EnsureReadyAsync(ct);
                return new StartResult.Ready(Describe(entry, RunnerState.Ready, process));
            }
            catch (RunnerStartException e)
            {
                return new StartResult.Failed(entry.Runner.ModelId, e.Message);
            }
        }
        finally
        {
            _admission.Release();
        }
    }

    /// <summary>The output of a model that has run here, across its restarts; null for one that never ran.</summary>
    public RunnerLog? FindLog(string modelId) => Find(modelId)?.Runner.OutputLog;

    public async Task<bool> StopAsync(string modelId)
    {
        await _admission.WaitAsync();
        try
        {
            return Find(modelId) is { } entry && await entry.Runner.StopAsync();
        }
        finally
        {
            _admission.Release();
        }
    }

    /// <summary>Stops every runner; returns how many had a process.</summary>
    public async Task<int> StopAllAsync()
    {
        await _admission.WaitAsync();
        try
        {
            List<Entry> entries;
            lock (_lock) entries = [.. _runners.Values];
            var stopped = await Task.WhenAll(entries.Select(e => e.Runner.StopAsync()));
            return stopped.Count(s => s);
        }
        finally
        {
            _admission.Release();
        }
    }

    public Task<IReadOnlyList<RunnerInfo>> ListAsync(CancellationToken ct)
    {
        List<Entry> entries;
        lock (_lock) entries = [.. _runners.Values];
        IReadOnlyList<RunnerInfo> list =
        [
            .. entries.Select(e => (Entry: e, Status: e.Runner.Status))
                .Where(r => r.Status.Process is not null)
                .Select(r => Describe(r.Entry, r.Status.State, r.Status.Process!)),
        ];
        return Task.FromResult(list);
    }

    Task IHostedService.StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The host is stopping: no llama-server outlives us. Runners stop their own starts, so no admission is awaited.</summary>
    async Task IHostedService.StopAsync(CancellationToken cancellationToken)
    {
        List<Entry> entries;
        lock (_lock) entries = [.. _runners.Values];
        await Task.WhenAll(entries.Select(e => e.Runner.DisposeAsync().AsTask()));
    }

    public ValueTask DisposeAsync()
    {
        _admission.Dispose();
        return ValueTask.CompletedTask;
    }

    private Entry? Find(string modelId)
    {
        lock (_lock) return _runners.GetValueOrDefault(modelId);
    }

    /// <summary>Stops the least recently used others until <paramref name="entry"/> fits under MaxRunners.</summary>
    private async Task EvictForAsync(Entry entry)
    {
        List<Entry> others;
        lock (_lock) others = [.. _runners.Values.Where(e => e != entry && e.Runner.Status.Process is not null).OrderBy(e => e.LastUsed)];
        foreach (var victim in others.Take(Math.Max(0, others.Count - options.Value.MaxRunners + 1)))
            await victim.Runner.StopAsync();
    }

    private static RunnerInfo Describe(Entry entry, RunnerState state, IRunnerProcess process) =>
        new(entry.Runner.ModelId, state.ToString().ToLowerInvariant(), process.Endpoint.ToString().TrimEnd('/'), process.Port, process.ProcessId,
            process.StartedAt, entry.LastUsed, entry.Runner.Binary, process.LoadProgress);

    private sealed class Entry(ModelRunner runner)
    {
        public ModelRunner Runner { get; } = runner;

        public DateTimeOffset LastUsed { get; set; }
    }
}
