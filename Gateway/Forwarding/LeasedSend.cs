using System.Text.Json;
using LlamaAspire.Gateway.Upstream;
using Microsoft.Extensions.Options;

namespace LlamaAspire.Gateway.Forwarding;

/// <summary>
/// Leases a model and sends one request to its llama-server. When the model's server is known from an earlier lease,
/// the request is sent there at once, while the lease is being acquired, so the lease's round trip to the RunnerAgent
/// (about 1–3 ms on an idle machine, mostly waking processes) is off the time to first token. The early answer is used
/// only if the lease names the same server and came within <see cref="GatewayOptions.LeaseOverlapWindow"/>: too soon for that server
/// to have been stopped and another started in its place. Otherwise the early request is cancelled and the request is
/// sent again to the leased server; nothing of the early one ever reaches the client, and no request runs on a server
/// longer than its lease protects it.
/// </summary>
public sealed partial class LeasedSend(
    RunnerAgentClient agent, IHttpClientFactory clients, ReadyEndpoints ready, IOptions<GatewayOptions> options, TimeProvider time, ILogger<LeasedSend> logger)
{
    /// <summary>
    /// The lease (or why there is none) and llama-server's response headers (or why it could not be reached). The
    /// caller owns the result: dispose it when the response has been relayed.
    /// </summary>
    public async Task<LeasedCall> SendAsync(
        IReadOnlyList<string> candidates, int? contextLength, JsonElement? keepAlive, Func<Uri, HttpRequestMessage> build, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(build);
        var client = clients.CreateClient(LlamaServerPassthrough.ClientName);
        var fresh = FreshConnection(build);
        var started = time.GetTimestamp();
        var window = options.Value.LeaseOverlapWindow;
        var guess = window > TimeSpan.Zero ? ready.Guess(candidates, contextLength) : null;
        var early = guess is null ? null : EarlyRequest.Start(client, fresh(guess.Endpoint), guess, ct);
        var leasing = agent.AcquireFirstKnownAsync(candidates, contextLength, keepAlive, ct);
        if (early is not null && await Task.WhenAny(leasing, Task.Delay(window, time, CancellationToken.None)) != leasing) early.Abandon();

        Lease? lease;
        LeaseRefusal? refusal;
        try
        {
            (lease, refusal) = await leasing;
        }
        catch
        {
            early?.Abandon();
            throw;
        }
        var wait = time.GetElapsedTime(started);
        if (lease is null)
        {
            early?.Abandon();
            return new LeasedCall(null, refusal, null, null, null, wait);
        }

        ready.Record(lease);
        if (early is not null && early.Serves(lease) && wait <= window && await early.TakeAsync(ct) is { } answered)
            return new LeasedCall(lease, null, answered.Request, answered.Response, null, wait) { Overlapped = true };
        early?.Abandon();

        var request = fresh(lease.Endpoint);
        try
        {
            var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            return new LeasedCall(lease, null, request, response, null, wait);
        }
        catch (HttpRequestException e)
        {
            request.Dispose();
            ready.Forget(lease.Model, lease.Endpoint);
            LogUnreachable(logger, lease.Endpoint, e);
            return new LeasedCall(lease, null, null, null, e, wait);
        }
        catch
        {
            request.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Every request on a connection of its own: llama-server closes the connection after each streamed response while
    /// announcing keep-alive, and a pooled connection it has closed fails the next request before any byte
    /// ("response ended prematurely"), which clients would see as a 502.
    /// </summary>
    private static Func<Uri, HttpRequestMessage> FreshConnection(Func<Uri, HttpRequestMessage> build) => endpoint =>
    {
        var request = build(endpoint);
        request.Headers.ConnectionClose = true;
        return request;
    };

    /// <summary>Holds the lease while its response is relayed: renewed, and released when disposed.</summary>
    public HeldLease Hold(Lease lease) => new(agent, lease, time);

    /// <summary>Gives a lease back at once, in the background (its response is not used).</summary>
    public void Release(Lease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        _ = agent.ReleaseAsync(lease.LeaseId);
    }

    [LoggerMessage(1210, LogLevel.Warning, "llama-server at {Endpoint} could not be reached.")]
    private static partial void LogUnreachable(ILogger logger, Uri endpoint, Exception exception);

    /// <summary>A request sent before its lease came; either taken, once the lease confirms its server, or abandoned.</summary>
    private sealed class EarlyRequest
    {
        private readonly HttpRequestMessage _request;
        private readonly Lease _guess;
        private readonly CancellationTokenSource _cancel;
        private readonly Task<HttpResponseMessage> _response;
        private int _settled;

        private EarlyRequest(HttpRequestMessage request, Lease guess, CancellationTokenSource cancel, Task<HttpResponseMessage> response)
        {
            _request = request;
            _guess = guess;
            _cancel = cancel;
            _response = response;
        }

        public static EarlyRequest Start(HttpClient client, HttpRequestMessage request, Lease guess, CancellationToken ct)
        {
            var cancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
            return new EarlyRequest(request, guess, cancel, client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel.Token));
        }

        public bool Serves(Lease lease) =>
            string.Equals(lease.Model, _guess.Model, StringComparison.OrdinalIgnoreCase) && lease.Endpoint == _guess.Endpoint;

        /// <summary>The answer, or null when the early request failed (the server went away): the caller then sends again.</summary>
        public async Task<(HttpRequestMessage Request, HttpResponseMessage Response)?> TakeAsync(CancellationToken ct)
        {
            if (Interlocked.Exchange(ref _settled, 1) == 1) return null;
            try
            {
                var response = await _response;
                _cancel.Dispose();
                return (_request, response);
            }
            catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !ct.IsCancellationRequested))
            {
                Release();
                return null;
            }
            catch
            {
                Release();
                throw;
            }
        }

        /// <summary>Cancels the early request; an answer that already came is closed, which stops llama-server's work on it.</summary>
        public void Abandon()
        {
            if (Interlocked.Exchange(ref _settled, 1) == 1) return;
            _cancel.Cancel();
            _ = _response.ContinueWith(
                static (done, state) =>
                {
                    if (done.IsCompletedSuccessfully) done.Result.Dispose();
                    ((EarlyRequest)state!).Release();
                },
                this, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        private void Release()
        {
            _request.Dispose();
            _cancel.Dispose();
        }
    }
}

/// <summary>
/// One leased call: <see cref="Lease"/> or <see cref="Refusal"/>; with a lease, llama-server's <see cref="Response"/>
/// or the <see cref="Unreachable"/> error. <see cref="LeaseWait"/> is how long the lease took (queue and load).
/// </summary>
public sealed class LeasedCall : IDisposable
{
    private readonly HttpRequestMessage? _request;

    public LeasedCall(Lease? lease, LeaseRefusal? refusal, HttpRequestMessage? request, HttpResponseMessage? response, HttpRequestException? unreachable, TimeSpan leaseWait)
    {
        Lease = lease;
        Refusal = refusal;
        _request = request;
        Response = response;
        Unreachable = unreachable;
        LeaseWait = leaseWait;
    }

    public Lease? Lease { get; }

    public LeaseRefusal? Refusal { get; }

    public HttpResponseMessage? Response { get; }

    public HttpRequestException? Unreachable { get; }

    public TimeSpan LeaseWait { get; }

    /// <summary>The response came from the request sent while the lease was being acquired.</summary>
    public bool Overlapped { get; init; }

    /// <summary>The Server-Timing entry for the lease: its wait, and whether the request overlapped it.</summary>
    public string ServerTiming =>
        FormattableString.Invariant($"lease;dur={LeaseWait.TotalMilliseconds:0.###}") + (Overlapped ? ";desc=\"overlapped\"" : "");

    public void Dispose()
    {
        Response?.Dispose();
        _request?.Dispose();
    }
}
