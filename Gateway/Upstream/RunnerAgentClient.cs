using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LlamaAspire.Gateway.Upstream;

/// <summary>The right to use a model's llama-server at <paramref name="Endpoint"/> until released.</summary>
public sealed record Lease(Guid LeaseId, string Model, Uri Endpoint, int ContextLength, DateTimeOffset RenewBy);

/// <summary>The RunnerAgent would not lease: its status and message (404 unknown model, 503 busy, 507 never fits, 502 load failed).</summary>
public sealed record LeaseRefusal(HttpStatusCode Status, string Message, string? Code);

/// <summary>
/// A model the RunnerAgent is working with, as GET /runners lists it: <see cref="State"/> is queued, loading, ready or
/// unloading; <see cref="ExpiresAt"/> is null while busy, not ready, or kept forever; <see cref="MemoryBytes"/> is the
/// process's measured size where the OS says; <see cref="Args"/> is its llama-server command line while it has a process.
/// </summary>
public sealed record RunnerStatus(
    string Model, string State, int ContextLength, DateTimeOffset? ExpiresAt, long MemoryEstimateBytes, long? MemoryBytes,
    IReadOnlyList<string>? Args = null);

/// <summary>
/// The RunnerAgent's lease API. An acquire waits in the model's queue (through a load, maybe minutes), so this client
/// has no timeout; the caller's cancellation (the user's request going away) ends the wait and leaves the queue.
/// </summary>
public sealed partial class RunnerAgentClient(HttpClient http, ILogger<RunnerAgentClient> logger)
{
    public async Task<(Lease? Lease, LeaseRefusal? Refusal)> AcquireAsync(string model, int? contextLength, JsonElement? keepAlive, CancellationToken ct)
    {
        try
        {
            using var response = await http.PostAsJsonAsync("/leases", new AcquireBody(model, contextLength, keepAlive), ct);
            if (response.IsSuccessStatusCode) return (await response.Content.ReadFromJsonAsync<Lease>(ct), null);
            var error = await ReadErrorAsync(response, ct);
            return (null, new LeaseRefusal(response.StatusCode, error?.Error ?? $"the runner agent answered {(int)response.StatusCode}", error?.Code));
        }
        catch (Exception e) when (e is HttpRequestException or JsonException)
        {
            LogUnavailable(logger, e);
            return (null, new LeaseRefusal(HttpStatusCode.ServiceUnavailable, $"the runner agent is unavailable: {e.Message}", "runner_unavailable"));
        }
    }

    /// <summary>
    /// Leases the first of <paramref name="ids"/> the agent knows: a 404 tries the next, any other answer ends the search.
    /// No ids at all is a 400: the name stood for nothing.
    /// </summary>
    public async Task<(Lease? Lease, LeaseRefusal? Refusal)> AcquireFirstKnownAsync(
        IEnumerable<string> ids, int? contextLength, JsonElement? keepAlive, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ids);
        LeaseRefusal? refusal = null;
        foreach (var id in ids)
        {
            (var lease, refusal) = await AcquireAsync(id, contextLength, keepAlive, ct);
            if (lease is not null) return (lease, null);
            if (refusal!.Status != HttpStatusCode.NotFound) break;
        }
        return (null, refusal ?? new LeaseRefusal(HttpStatusCode.BadRequest, InvalidModelName, null));
    }

    public const string InvalidModelName = "invalid model name";

    /// <summary>False when the lease is gone (taken back, or the agent restarted).</summary>
    public async Task<bool> RenewAsync(Guid leaseId, CancellationToken ct)
    {
        try
        {
            using var response = await http.PostAsync($"/leases/{leaseId}/renew", null, ct);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException e)
        {
            LogUnavailable(logger, e);
            return false;
        }
    }

    /// <summary>Unloads the model once its in-flight requests end; false when it had no process (or the agent did not answer).</summary>
    public async Task<bool> UnloadAsync(string model, CancellationToken ct)
    {
        try
        {
            using var response = await http.PostAsync("/runners/" + string.Join('/', model.Split('/').Select(Uri.EscapeDataString)) + "/unload", null, ct);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException e)
        {
            LogUnavailable(logger, e);
            return false;
        }
    }

    /// <summary>Never throws: a release that fails is taken back by the agent after its lease timeout.</summary>
    public async Task ReleaseAsync(Guid leaseId)
    {
        try
        {
            using var response = await http.DeleteAsync($"/leases/{leaseId}");
        }
        catch (HttpRequestException e)
        {
            LogUnavailable(logger, e);
        }
    }

    public static readonly TimeSpan ListTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Every runner the agent knows, whatever its state.</summary>
    /// <exception cref="HttpRequestException">The agent was unreachable, failed, or did not answer within <see cref="ListTimeout"/>.</exception>
    public async Task<IReadOnlyList<RunnerStatus>> ListRunnersAsync(CancellationToken ct)
    {
        // This client has no timeout of its own (leases wait in queues); a listing must not hang on a stuck agent.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ListTimeout);
        try
        {
            return await http.GetFromJsonAsync<List<RunnerStatus>>("/runners", timeout.Token) ?? [];
        }
        catch (Exception e) when (e is HttpRequestException or JsonException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            LogListUnavailable(logger, e);
            throw new HttpRequestException($"the runner agent did not list its runners: {e.Message}", e);
        }
    }

    /// <summary>
    /// Subscribes to GET /runners/events: a full listing first, then one runner per state change. Returns once the agent
    /// has answered, so the caller can refuse in its own dialect when it is unreachable.
    /// </summary>
    /// <exception cref="HttpRequestException">The agent was unreachable or refused the subscription.</exception>
    public async Task<RunnerStatusSubscription> WatchRunnersAsync(CancellationToken ct)
    {
        var response = await http.GetAsync(new Uri("/runners/events", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, ct);
        try
        {
            response.EnsureSuccessStatusCode();
            return new RunnerStatusSubscription(response, await response.Content.ReadAsStreamAsync(ct));
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private static async Task<AgentError?> ReadErrorAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<AgentError>(ct);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [LoggerMessage(1100, LogLevel.Warning, "The runner agent did not answer a lease call.")]
    private static partial void LogUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(1101, LogLevel.Warning, "The runner agent did not list its runners.")]
    private static partial void LogListUnavailable(ILogger logger, Exception exception);

    private sealed record AcquireBody(
        string Model,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? ContextLength,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonElement? KeepAlive);

    private sealed record AgentError(string? Error, string? Code);
}
