using LlamaAspire.RunnerAgent.Runners;

namespace LlamaAspire.RunnerAgent.Tests.Support;

internal static class RunnerEventsExtensions
{
    /// <summary>Reads events until one moves to <paramref name="to"/>, and returns it.</summary>
    public static async Task<RunnerStateChanged> NextToAsync(this RunnerEventSubscription events, RunnerState to, CancellationToken ct)
    {
        while (true)
        {
            var change = await events.Reader.ReadAsync(ct);
            if (change.To == to) return change;
        }
    }
}
