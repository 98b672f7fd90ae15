using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LlamaAspire.RunnerAgent.LlamaServer;
using LlamaAspire.RunnerAgent.Metadata;
using LlamaAspire.RunnerAgent.Runners;
using LlamaAspire.RunnerAgent.Scheduling;
using LlamaAspire.TestSupport;
using LlamaServerBinary = LlamaAspire.TestSupport.LlamaServer.LlamaServerBinary;
using LlamaAspire.TestSupport.Models;
using LlamaAspire.TestSupport.Network;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LlamaAspire.RunnerAgent.Benchmarks;

/// <summary>A scheduler over two tiny models with max-runners 1, a stand-in MetadataService, and the agent's API on Kestrel.</summary>
internal sealed class SchedulerBench : IAsyncDisposable
{
    private const string ReadyLine = "\"state\":\"ready\"";
    private static readonly string[] ModelIds = ["bench-a", "bench-b"];
    private readonly TempDirectory _dir;
    private readonly LoopbackWebServer _metadata;
    private readonly HttpClient _metadataHttp;
    private readonly LlamaServerLocator _locator;
    private readonly RunnerScheduler _scheduler;
    private readonly LoopbackWebServer _agent;
    private readonly HttpClient _agentHttp;

    private SchedulerBench(TempDirectory dir, LoopbackWebServer metadata, HttpClient metadataHttp, LlamaServerLocator locator,
        RunnerScheduler scheduler, LoopbackWebServer agent, string binary)
    {
        _dir = dir;
        _metadata = metadata;
        _metadataHttp = metadataHttp;
        _locator = locator;
        _scheduler = scheduler;
        _agent = agent;
        _agentHttp = new HttpClient { BaseAddress = agent.BaseAddress };
        Binary = binary;
    }

    public string Binary { get; }

    public static async Task<SchedulerBench> StartAsync()
    {
        var binary = await LlamaServerBinary.GetPathAsync();
        var dir = new TempDirectory("runner-bench");
        var models = ModelIds.Select((id, i) =>
        {
            var path = TinyModels.WriteChatModel(dir.Combine(id + ".gguf"), id, seed: i + 1);
            return new ModelInfo(id, path, new FileInfo(path).Length);
        }).ToDictionary(m => m.Id);
        var metadata = await LoopbackWebServer.StartAsync((WebApplication app) =>
            app.MapGet("/models/{**id}", (string id) => models.TryGetValue(id, out var model) ? Results.Ok(model) : Results.NotFound()));
        var metadataHttp = new HttpClient { BaseAddress = metadata.BaseAddress };
        var options = Options.Create(new RunnerOptions { LlamaServerPath = binary, MaxRunners = 1, DefaultContextLength = 512, DefaultKeepAlive = "-1" });
        var locator = new LlamaServerLocator(options, NullLogger<LlamaServerLocator>.Instance);
        var scheduler = new RunnerScheduler(locator, new MetadataClient(metadataHttp),
            new LlamaServerLauncher(TimeProvider.System, NullLogger<LlamaServerLauncher>.Instance),
            new RunnerEvents(), options, TimeProvider.System, NullLogger<RunnerScheduler>.Instance);
        var agent = await LoopbackWebServer.StartAsync(services => services.AddSingleton(scheduler), app =>
        {
            app.MapLeasesApi();
            app.MapPost("/ping", () => Results.Ok(new { pong = true }));   // the loopback round trip any call pays
        });
        return new SchedulerBench(dir, metadata, metadataHttp, locator, scheduler, agent, binary);
    }

    public sealed record ColdStarts(List<double> ReadyToRunnerReady, List<double> OwnStart);

    /// <summary>Starts bench-a from nothing, again and again: when did llama-server say ready, and when was the runner Ready.</summary>
    public async Task<ColdStarts> MeasureColdStartsAsync(int iterations)
    {
        var result = new ColdStarts([], []);
        for (var i = 0; i < iterations + 1; i++)
        {
            var (readyToReady, ownStart) = await StartMeasuredAsync("bench-a");
            await _scheduler.StopAsync("bench-a");
            if (i == 0) continue;   // warm-up: page cache, JIT
            result.ReadyToRunnerReady.Add(readyToReady);
            result.OwnStart.Add(ownStart);
        }
        return result;
    }

    public sealed record Swaps(List<double> Total, List<double> OwnStart, List<double> Overhead);

    /// <summary>With one model loaded and idle under max-runners 1, asks for the other: unload, start, ready.</summary>
    public async Task<Swaps> MeasureSwapsAsync(int iterations)
    {
        var result = new Swaps([], [], []);
        await RequireReadyAsync("bench-a");
        for (var i = 0; i < iterations + 1; i++)
        {
            var target = i % 2 == 0 ? "bench-b" : "bench-a";
            var clock = Stopwatch.StartNew();
            var (_, ownStart) = await StartMeasuredAsync(target);
            var total = clock.Elapsed.TotalMilliseconds;
            if (i == 0) continue;
            result.Total.Add(total);
            result.OwnStart.Add(ownStart);
            result.Overhead.Add(total - ownStart);
        }
        await _scheduler.StopAllAsync();
        return result;
    }

    public sealed record Leases(List<double> InProcess, List<double> HttpAcquire, List<double> HttpRelease, List<double> HttpPing);

    /// <summary>Acquire and release on a loaded model: the accounting every request pays, in process and through the API.</summary>
    public async Task<Leases> MeasureLeasesAsync(int iterations)
    {
        await RequireReadyAsync("bench-a");
        var result = new Leases([], [], [], []);
        for (var i = 0; i < iterations + 200; i++)
        {
            var clock = Stopwatch.StartNew();
            var lease = ((AcquireResult.Granted)await _scheduler.AcquireAsync(new LeaseRequest("bench-a"), CancellationToken.None)).Lease;
            await _scheduler.ReleaseAsync(lease.LeaseId);
            var inProcess = clock.Elapsed.TotalMilliseconds;

            clock.Restart();
            using var acquired = await _agentHttp.PostAsync("/leases", JsonContent.Create(new { model = "bench-a" }));
            var id = (await acquired.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("leaseId").GetGuid();
            var acquire = clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            using var released = await _agentHttp.DeleteAsync($"/leases/{id}");
            var release = clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            using var pong = await _agentHttp.PostAsync("/ping", JsonContent.Create(new { model = "bench-a" }));
            await pong.Content.ReadFromJsonAsync<JsonElement>();
            var ping = clock.Elapsed.TotalMilliseconds;
            if (acquired.StatusCode != HttpStatusCode.OK || released.StatusCode != HttpStatusCode.NoContent) throw new InvalidOperationException("lease API failed");

            if (i < 200) continue;   // warm-up
            result.InProcess.Add(inProcess);
            result.HttpAcquire.Add(acquire);
            result.HttpRelease.Add(release);
            result.HttpPing.Add(ping);
        }
        return result;
    }

    private async Task RequireReadyAsync(string model)
    {
        if (await _scheduler.EnsureStartedAsync(model, CancellationToken.None) is not StartResult.Ready)
            throw new InvalidOperationException($"{model} did not start");
    }

    /// <summary>Loads <paramref name="model"/>; returns (its ready line to runner Ready, its spawn to its ready line) in ms.</summary>
    private async Task<(double ReadyToRunnerReady, double OwnStart)> StartMeasuredAsync(string model)
    {
        using var events = _scheduler.Events.Subscribe();
        var started = await _scheduler.EnsureStartedAsync(model, CancellationToken.None);
        if (started is not StartResult.Ready { Runner: var runner }) throw new InvalidOperationException($"{model} did not start: {started}");
        RunnerStateChanged? ready = null;
        while (events.Reader.TryRead(out var change))
            if (change.ModelId == model && change.To == RunnerState.Ready) ready = change;
        var readyLine = _scheduler.FindLog(model)!.Lines.Last(l => l.Text.Contains(ReadyLine, StringComparison.Ordinal));
        if (ready is null) throw new InvalidOperationException("no Ready event");
        return ((ready.At - readyLine.At).TotalMilliseconds, (readyLine.At - runner.StartedAt!.Value).TotalMilliseconds);
    }

    public async ValueTask DisposeAsync()
    {
        _agentHttp.Dispose();
        await _agent.DisposeAsync();
        await _scheduler.DisposeAsync();
        _locator.Dispose();
        _metadataHttp.Dispose();
        await _metadata.DisposeAsync();
        _dir.Dispose();
    }
}
