using LlamaAspire.Gateway.Upstream;

namespace LlamaAspire.Gateway.OpenAi;

/// <summary>
/// Turns the RunnerAgent's runner events into the router's <c>model_status</c> events: one per model whose router
/// status changed. The first listing sets what the client is assumed to know (the router sends nothing on connect);
/// a later listing (a resync) is compared model by model, and a model missing from it has been unloaded.
/// </summary>
public sealed class RouterStatusTracker
{
    public const string StatusEvent = "model_status";
    private readonly Dictionary<string, string> _known = new(StringComparer.OrdinalIgnoreCase);
    private bool _started;

    public IReadOnlyList<RouterEvent> Apply(RunnerStatusEvent change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var events = new List<RouterEvent>();
        if (change.IsSnapshot)
        {
            var listed = change.Runners.Select(r => r.Model).ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (var gone in _known.Keys.Where(m => !listed.Contains(m)).ToList()) Set(gone, RouterModels.Unloaded, events);
            foreach (var runner in change.Runners) Set(runner.Model, RouterModels.StatusOf(runner.State), events);
            if (!_started) events.Clear();
            _started = true;
            return events;
        }
        foreach (var runner in change.Runners) Set(runner.Model, RouterModels.StatusOf(runner.State), events);
        return events;
    }

    private void Set(string model, string status, List<RouterEvent> events)
    {
        if (_known.GetValueOrDefault(model, RouterModels.Unloaded) == status) return;
        if (status == RouterModels.Unloaded) _known.Remove(model);
        else _known[model] = status;
        events.Add(new RouterEvent(model, StatusEvent, new RouterStatusData(status)));
    }
}
