using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using LlamaAspire.RunnerAgent.Metadata;
using LlamaAspire.RunnerAgent.Processes;
using LlamaAspire.RunnerAgent.Runners;

namespace LlamaAspire.RunnerAgent.LlamaServer;

/// <summary>
/// One llama-server child. It runs as a llama.cpp router child (LLAMA_SERVER_ROUTER_PORT set), so it exits as soon as
/// its stdin closes, which happens when this agent dies in any way, SIGKILL included. Builds without router-child mode
/// ignore that; for them the parent-death signal set by <see cref="ParentDeathStarter"/> does the same.
/// </summary>
public sealed partial class LlamaServerProcess : IRunnerProcess
{
    private const string RouterStatePrefix = "cmd_child_to_router:state:";
    private const string RouterExitCommand = "cmd_router_to_child:exit";
    private static readonly TimeSpan StdinCloseDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan SecondInterruptDelay = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan HealthPollInterval = TimeSpan.FromMilliseconds(50);
    private static readonly HttpClient SharedHealthClient = new() { Timeout = TimeSpan.FromSeconds(2) };

    private readonly Process _process;
    private readonly TimeProvider _timeProvider;
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _announcedReady = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _lastProgressTicks;
    private int _port;

    private LlamaServerProcess(Process process, RunnerLaunch launch, TimeProvider timeProvider)
    {
        Launch = launch;
        _process = process;
        _timeProvider = timeProvider;
        ProcessId = process.Id;
        StartedAt = timeProvider.GetUtcNow();
        _lastProgressTicks = StartedAt.UtcTicks;
    }

    public RunnerLaunch Launch { get; }

    public ModelInfo Model => Launch.Model;

    /// <summary>
    /// 0 until llama-server prints the port it bound: it is started with --port 0, so the kernel picks a free port and
    /// no other process can take it between our choice and its bind.
    /// </summary>
    public int Port => Volatile.Read(ref _port);

    public int ProcessId { get; }

    public Uri Endpoint => new($"http://127.0.0.1:{Port}");

    public DateTimeOffset StartedAt { get; }

    public OutputTail Output { get; } = new();

    /// <summary>True once llama-server announced itself through the router-child protocol.</summary>
    public bool SpeaksRouterProtocol { get; private set; }

    /// <summary>From the router-child protocol's loading state lines; null for a binary without them.</summary>
    public double? LoadProgress { get; private set; }

    public Task<int> Exited => _exited.Task;

    /// <summary>On Linux /proc knows at once, a zombie not yet reaped by the runtime included; elsewhere only <see cref="Exited"/> tells.</summary>
    public bool HasExited => _exited.Task.IsCompleted || ProcessIdentity.HasExited(ProcessId);

    public static LlamaServerProcess Start(string binary, ModelInfo model, TimeProvider timeProvider, ILogger logger, RunnerLog? log = null) =>
        Start(new RunnerLaunch(model, binary), timeProvider, logger, log);

    public static LlamaServerProcess Start(RunnerLaunch launch, TimeProvider timeProvider, ILogger logger, RunnerLog? log = null)
    {
        ArgumentNullException.ThrowIfNull(launch);
        var binary = launch.Binary;
        var startInfo = new ProcessStartInfo(binary)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in LlamaServerArgs.For(launch, port: 0)) startInfo.ArgumentList.Add(arg);
        startInfo.Environment["LLAMA_SERVER_ROUTER_PORT"] = "0";

        var process = ParentDeathStarter.Shared.Start(startInfo);
        var server = new LlamaServerProcess(process, launch, timeProvider);
        var pumps = Task.WhenAll(server.PumpAsync(process.StandardOutput, logger, log), server.PumpAsync(process.StandardError, logger, log));
        _ = server.WatchExitAsync(pumps);
        return server;
    }

    Task IRunnerProcess.WaitUntilReadyAsync(TimeSpan stallTimeout, CancellationToken ct) =>
        WaitUntilReadyAsync(SharedHealthClient, stallTimeout, ct);

    /// <summary>
    /// Waits for /health 200, asking again every 50 ms and at once when the process announces itself ready.
    /// The announcement alone is not trusted: it is an internal protocol of llama.cpp.
    /// </summary>
    /// <remarks>Fails when the process exits, or shows no progress for <paramref name="stallTimeout"/>.</remarks>
    public async Task WaitUntilReadyAsync(HttpClient http, TimeSpan stallTimeout, CancellationToken ct)
    {
        var announced = _announcedReady.Task;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            if (_exited.Task.IsCompleted)
                throw new LlamaServerStartException($"llama-server exited with code {_exited.Task.Result} while loading {Model.Id}", Output.Lines);
            var idle = _timeProvider.GetUtcNow() - new DateTimeOffset(Interlocked.Read(ref _lastProgressTicks), TimeSpan.Zero);
            if (idle > stallTimeout)
                throw new LlamaServerStartException($"llama-server made no progress loading {Model.Id} for {stallTimeout.TotalSeconds:0} s", Output.Lines);

            if (!_listening.Task.IsCompleted)
            {
                await Task.WhenAny(Task.Delay(HealthPollInterval, _timeProvider, ct), _exited.Task, _listening.Task);
                continue;
            }
            if (await IsHealthyAsync(http, new Uri(Endpoint, "/health"), ct)) return;
            await Task.WhenAny(Task.Delay(HealthPollInterval, _timeProvider, ct), _exited.Task, announced);
            if (announced.IsCompleted) announced = _exited.Task;   // heard once; a server not yet healthy gets the 50 ms poll
        }
    }

    /// <summary>
    /// A router child ignores SIGTERM's exit while its stdin stays open, but leaves at once on the router's exit
    /// command; a child still loading does not read stdin yet but honours SIGTERM. So: both, then the grace period, then kill.
    /// </summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_exited.Task.IsCompleted) return;
        try
        {
            await _process.StandardInput.WriteLineAsync(RouterExitCommand);
            await _process.StandardInput.FlushAsync();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // Already gone, or its stdin is closed: the signal below still applies.
        }
        var closeStdin = CloseStdinIfStillRunningAsync(StdinCloseDelay);
        var secondInterrupt = InterruptAgainIfStillRunningAsync(SecondInterruptDelay);
        await ProcessTermination.StopAsync(_process, grace);
        await _exited.Task;
        await closeStdin;
        await secondInterrupt;
    }

    /// <summary>
    /// Now and then a ready router child neither acts on the exit command nor finishes its SIGTERM shutdown, which waits
    /// on its stdin reader. End of file on stdin makes it exit at once, so give the graceful path a moment, then close it.
    /// </summary>
    private async Task CloseStdinIfStillRunningAsync(TimeSpan delay)
    {
        try
        {
            await _exited.Task.WaitAsync(delay);
        }
        catch (TimeoutException)
        {
            try { _process.StandardInput.Close(); }
            catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException) { }
        }
    }

    /// <summary>
    /// llama.cpp exits at once on a second SIGINT/SIGTERM ("terminating immediately"), its own remedy for a shutdown
    /// that hangs. Seen under load even after stdin EOF, so it comes next, well before the grace period's kill.
    /// </summary>
    private async Task InterruptAgainIfStillRunningAsync(TimeSpan delay)
    {
        try
        {
            await _exited.Task.WaitAsync(delay);
        }
        catch (TimeoutException)
        {
            PosixSignal.Send(ProcessId, PosixSignal.SigTerm);
        }
    }

    private static async Task<bool> IsHealthyAsync(HttpClient http, Uri health, CancellationToken ct)
    {
        try
        {
            // No keep-alive: llama-server's shutdown waits about 100 ms for every idle connection still open.
            using var request = new HttpRequestMessage(HttpMethod.Get, health) { Headers = { ConnectionClose = true } };
            using var response = await http.SendAsync(request, ct);
            return response.IsSuccessStatusCode;   // 503 while loading
        }
        catch (HttpRequestException)
        {
            return false;   // not listening yet
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false;   // no answer within the client's timeout: not ready; the stall timeout still applies
        }
    }

    private async Task PumpAsync(StreamReader reader, ILogger logger, RunnerLog? log)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            Interlocked.Exchange(ref _lastProgressTicks, _timeProvider.GetUtcNow().UtcTicks);
            if (line.Length == 0) continue;
            if (line.StartsWith(RouterStatePrefix, StringComparison.Ordinal)) OnRouterState(line[RouterStatePrefix.Length..]);
            else if (!_listening.Task.IsCompleted && ListeningLine().Match(line) is { Success: true } listening) OnListening(listening);
            Output.Add(line);
            log?.Add(line);
            Log.LlamaServerOutput(logger, Model.Id, line);
        }
    }

    private void OnListening(Match listening)
    {
        var port = listening.Groups["port"].Value is { Length: > 0 } current ? current : listening.Groups["oldport"].Value;
        Volatile.Write(ref _port, int.Parse(port, CultureInfo.InvariantCulture));
        _listening.TrySetResult();
    }

    /// <summary>"listening on http://127.0.0.1:46527" (also in older builds' "server is listening on ..."), or older builds' "HTTP server is listening, hostname: H, port: P".</summary>
    [GeneratedRegex(@"listening on https?://\S+:(?<port>\d+)|HTTP server is listening, hostname: \S+, port: (?<oldport>\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex ListeningLine();

    /// <summary>{"state":"loading","payload":{"value":0.5,...}} or {"state":"ready",...}.</summary>
    private void OnRouterState(string json)
    {
        SpeaksRouterProtocol = true;
        try
        {
            using var state = JsonDocument.Parse(json);
            var root = state.RootElement;
            var name = root.TryGetProperty("state", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            if (name == "loading" && root.TryGetProperty("payload", out var payload) && payload.ValueKind == JsonValueKind.Object
                && payload.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.Number)
            {
                LoadProgress = Math.Clamp(value.GetDouble(), 0, 1);
            }
            else if (name == "ready")
            {
                LoadProgress = 1;
                _announcedReady.TrySetResult();
            }
        }
        catch (JsonException)
        {
            // Not ours to validate; the /health poll still decides.
        }
    }

    private async Task WatchExitAsync(Task pumps)
    {
        await _process.WaitForExitAsync();
        await pumps;
        _exited.TrySetResult(_process.ExitCode);
        _process.Dispose();
    }
}

public sealed class LlamaServerStartException(string message, IReadOnlyList<string> lastOutput)
    : Exception(message + (lastOutput.Count > 0 ? ". Last output:\n" + string.Join('\n', lastOutput.TakeLast(15)) : ""))
{
    public IReadOnlyList<string> LastOutput { get; } = lastOutput;
}
