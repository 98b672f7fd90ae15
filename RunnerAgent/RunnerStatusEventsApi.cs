using LlamaAspire.RunnerAgent.Runners;
using LlamaAspire.RunnerAgent.Scheduling;

namespace LlamaAspire.RunnerAgent;

/// <summary>
/// GET /runners/events: live runner status as SSE. First <c>event: snapshot</c> (every runner, as GET /runners lists
/// them), then <c>event: runner</c> with one model's full <see cref="RunnerInfo"/> per state change (state "unloaded"
/// once it has left the list). A subscriber that falls behind gets a fresh <c>event: snapshot</c> in place of the
/// changes it missed.
/// </summary>
public static class RunnerStatusEventsApi
{
    public static void MapRunnerStatusEvents(this IEndpointRouteBuilder app) =>
        app.MapGet("/runners/events", StreamAsync).WithName("Runners.Events");

    public static async Task StreamAsync(HttpContext context, RunnerScheduler registry, IHostApplicationLifetime lifetime)
    {
        // Without the host's stopping token, shutdown would wait out its timeout on every open stream.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var ct = stopping.Token;
        // Subscribed before the listing is read, so no change falls between the two (one may show in both).
        using var subscription = registry.StatusFeed.Subscribe();
        try
        {
            await ServerSentEvents.StartAsync(context.Response, ct);
            await ServerSentEvents.WriteAsync(context.Response, "snapshot", await registry.ListAsync(ct), ct);
            while (await subscription.Reader.WaitToReadAsync(ct))
            {
                if (subscription.TakeOverflow())
                {
                    await ServerSentEvents.WriteAsync(context.Response, "snapshot", await registry.ListAsync(ct), ct);
                    continue;
                }
                while (!subscription.Overflowed && subscription.Reader.TryRead(out var runner))
                    await ServerSentEvents.WriteAsync(context.Response, "runner", runner, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client or the host went away: the normal end of a stream.
        }
        catch (IOException)
        {
            // The client's connection broke mid-write.
        }
    }
}
