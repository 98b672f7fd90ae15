using System.Collections.Concurrent;
using LlamaAspire.Gateway.Upstream;

namespace LlamaAspire.Gateway.Forwarding;

/// <summary>
/// Where each model's llama-server was at its last lease, as this Gateway saw it: a guess for <see cref="LeasedSend"/>,
/// never an authority. A lease always decides where a request really goes.
/// </summary>
public sealed class ReadyEndpoints
{
    private readonly ConcurrentDictionary<string, Lease> _last = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The last lease of the first candidate seen before, if its context is enough for <paramref name="contextLength"/>.</summary>
    public Lease? Guess(IEnumerable<string> candidates, int? contextLength)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        foreach (var candidate in candidates)
            if (_last.TryGetValue(candidate, out var lease))
                return contextLength is { } needed && needed > lease.ContextLength ? null : lease;
        return null;
    }

    public void Record(Lease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        _last[lease.Model] = lease;
    }

    /// <summary>Forgets the model's server if it is still the one at <paramref name="endpoint"/> (it could not be reached).</summary>
    public void Forget(string model, Uri endpoint)
    {
        if (_last.TryGetValue(model, out var lease) && lease.Endpoint == endpoint) _last.TryRemove(KeyValuePair.Create(model, lease));
    }
}
