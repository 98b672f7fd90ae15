using System.Text.Json;
using LlamaAspire.Gateway.Forwarding;
using LlamaAspire.Gateway.Upstream;

namespace LlamaAspire.Gateway.Ollama;

/// <summary>
/// Leasing for the Ollama surface: Ollama names (case-insensitive, ":latest" by default) become catalog ids, and
/// num_ctx and keep_alive travel with the lease, since both are the scheduler's business.
/// </summary>
public static class OllamaUpstream
{
    /// <summary>
    /// A lease on the model the client named (an alias leases its target), or the Ollama error to answer. The first id
    /// tried is the name without ":latest".
    /// </summary>
    public static async Task<(Lease? Lease, OllamaError? Error)> AcquireAsync(
        OllamaModelLookup lookup, string requested, int? contextLength, TimeSpan? keepAlive, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        if (OllamaModelNames.Normalize(requested) is not { } name) return (null, OllamaErrors.BadRequest(OllamaModelNames.InvalidName));
        var candidates = await lookup.Aliases.CandidatesAsync(name, lookup.Catalog, ct);
        var (lease, refusal) = await lookup.Agent.AcquireFirstKnownAsync(candidates, contextLength, KeepAliveJson(keepAlive), ct);
        return lease is not null ? (lease, null) : (null, OllamaErrors.FromRefusal(refusal!, requested));
    }

    /// <summary>
    /// As <see cref="AcquireAsync"/>, and sends llama-server's request with it (overlapped with the lease, see
    /// <see cref="LeasedSend"/>); the caller disposes the call.
    /// </summary>
    public static async Task<(LeasedCall? Call, OllamaError? Error)> SendAsync(
        OllamaModelLookup lookup, LeasedSend send, string requested, int? contextLength, TimeSpan? keepAlive, Func<Uri, HttpRequestMessage> build, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        ArgumentNullException.ThrowIfNull(send);
        if (OllamaModelNames.Normalize(requested) is not { } name) return (null, OllamaErrors.BadRequest(OllamaModelNames.InvalidName));
        var candidates = await lookup.Aliases.CandidatesAsync(name, lookup.Catalog, ct);
        var call = await send.SendAsync([.. candidates], contextLength, KeepAliveJson(keepAlive), build, ct);
        if (call.Lease is not null) return (call, null);
        call.Dispose();
        return (null, OllamaErrors.FromRefusal(call.Refusal!, requested));
    }

    /// <summary>Unloads the model the client named (once its in-flight requests end); nothing happens for a name that is no model.</summary>
    public static async Task UnloadAsync(OllamaModelLookup lookup, string requested, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        if (OllamaModelNames.Normalize(requested) is not { } name) return;
        foreach (var candidate in await lookup.Aliases.CandidatesAsync(name, lookup.Catalog, ct))
            if (await lookup.Agent.UnloadAsync(candidate, ct)) return;
    }

    /// <summary>The catalog ids a normalized Ollama name may stand for: "x:latest" is usually the untagged file "x".</summary>
    public static IEnumerable<string> Candidates(string normalized)
    {
        const string Latest = ":" + OllamaModelNames.DefaultTag;
        if (normalized.EndsWith(Latest, StringComparison.OrdinalIgnoreCase)) yield return normalized[..^Latest.Length];
        yield return normalized;
    }

    /// <summary>Seconds as the agent takes them; "never" is negative.</summary>
    public static JsonElement? KeepAliveJson(TimeSpan? keepAlive) => keepAlive switch
    {
        null => null,
        { } forever when forever == TimeSpan.MaxValue || forever < TimeSpan.Zero => JsonSerializer.SerializeToElement(-1),
        { } value => JsonSerializer.SerializeToElement(value.TotalSeconds),
    };

    public static IResult Answer(OllamaError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return OllamaRequest.Error(error.Status, error.Message);
    }
}

/// <summary>What turns an Ollama name into a lease: the aliases, the catalog they are read from, and the agent.</summary>
public sealed record OllamaModelLookup(RunnerAgentClient Agent, OllamaCatalogClient Catalog, OllamaAliases Aliases);
