using LlamaAspire.RunnerAgent.Runners;
using LlamaAspire.RunnerAgent.Scheduling;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LlamaAspire.RunnerAgent;

public static class RunnersApi
{
    public static RouteGroupBuilder MapRunnersApi(this IEndpointRouteBuilder app)
    {
        var runners = app.MapGroup("/runners");
        runners.MapGet("/", ListRunnersAsync).WithName("Runners.List");
        runners.MapPost("/", StartRunnerAsync).WithName("Runners.Start");
        runners.MapDelete("/{**model}", StopRunnerAsync).WithName("Runners.Stop");
        // Model ids contain '/', so a catch-all carries "{model}/{action}" and the handler splits it.
        runners.MapGet("/{**target}", GetRunnerResourceAsync).WithName("Runners.Resource");
        runners.MapPost("/unload-all", UnloadAllAsync).WithName("Runners.UnloadAll");
        runners.MapPost("/{**target}", PostRunnerActionAsync).WithName("Runners.Action");
        app.MapGet("/events", StreamEventsAsync).WithName("Events.Stream");
        app.MapRunnerStatusEvents();
        return runners;
    }

    public static async Task<Ok<IReadOnlyList<RunnerInfo>>> ListRunnersAsync(RunnerScheduler registry, CancellationToken ct) =>
        TypedResults.Ok(await registry.ListAsync(ct));

    public static async Task<Results<Ok<RunnerInfo>, BadRequest<RunnerError>, NotFound<RunnerError>, JsonHttpResult<RunnerError>>> StartRunnerAsync(
        StartRunnerRequest request, RunnerScheduler registry, CancellationToken ct)
    {
        if (ModelNames.Parse(request.Model, out var error) is not { } model) return TypedResults.BadRequest(new RunnerError(error!));
        return await LoadAsync(new LeaseRequest(model), registry, ct);
    }

    /// <summary>
    /// POST /runners/{model}/load[?contextLength=N&amp;keepAlive=5m] (ready, starting it if needed; returns the runner; its
    /// keep-alive starts now) and POST /runners/{model}/unload (once its in-flight requests end).
    /// </summary>
    public static async Task<IResult> PostRunnerActionAsync(
        string target, int? contextLength, string? keepAlive, RunnerScheduler registry, CancellationToken ct)
    {
        var (rawModel, action) = RunnerTargets.Split(target);
        if (ModelNames.Parse(rawModel, out var error) is not { } model) return TypedResults.BadRequest(new RunnerError(error!));
        TimeSpan? keep = null;
        if (keepAlive is not null)
        {
            if (!KeepAlive.TryParse(keepAlive, out var parsed, out error)) return TypedResults.BadRequest(new RunnerError(error!));
            keep = parsed;
        }
        return action switch
        {
            "load" => await LoadAsync(new LeaseRequest(model, contextLength, keep), registry, ct),
            "unload" => await UnloadAsync(model, registry),
            _ => TypedResults.NotFound(new RunnerError($"no action '{action}' for a runner")),
        };
    }

    /// <summary>POST /runners/unload-all: stops every runner; answers how many had a process.</summary>
    public static async Task<Ok<UnloadAllResponse>> UnloadAllAsync(RunnerScheduler registry) =>
        TypedResults.Ok(new UnloadAllResponse(await registry.StopAllAsync()));

    private static async Task<Results<Ok<RunnerInfo>, BadRequest<RunnerError>, NotFound<RunnerError>, JsonHttpResult<RunnerError>>> LoadAsync(
        LeaseRequest request, RunnerScheduler registry, CancellationToken ct) => await registry.EnsureStartedAsync(request, ct) switch
        {
            StartResult.Ready ready => TypedResults.Ok(ready.Runner),
            StartResult.ModelNotFound notFound => TypedResults.NotFound(RunnerError.ModelNotFound(notFound.Model)),
            StartResult.Failed failed => SchedulerErrors.ToResult(new SchedulerError(failed.Kind, failed.Message)),
            _ => throw new InvalidOperationException("Unknown start result."),
        };

    public static async Task<Results<NoContent, BadRequest<RunnerError>, NotFound<RunnerError>>> StopRunnerAsync(string model, RunnerScheduler registry)
    {
        if (ModelNames.Parse(model, out var error) is not { } name) return TypedResults.BadRequest(new RunnerError(error!));
        return await UnloadAsync(name, registry);
    }

    /// <summary>Takes a name already parsed: decoding it a second time would turn "%2525" into another model.</summary>
    private static async Task<Results<NoContent, BadRequest<RunnerError>, NotFound<RunnerError>>> UnloadAsync(string name, RunnerScheduler registry) =>
        await registry.StopAsync(name) ? TypedResults.NoContent() : TypedResults.NotFound(new RunnerError($"no runner for '{name}'"));

    /// <summary>GET /runners/{model}/logs: the model's output as a text download, or with <c>?follow=true</c> as SSE (<c>event: log</c>).</summary>
    public static async Task<IResult> GetRunnerResourceAsync(
        string target, bool? follow, HttpContext context, RunnerScheduler registry, IHostApplicationLifetime lifetime)
    {
        var (rawModel, action) = RunnerTargets.Split(target);
        if (ModelNames.Parse(rawModel, out var error) is not { } model) return TypedResults.BadRequest(new RunnerError(error!));
        if (action != "logs") return TypedResults.NotFound(new RunnerError($"no resource '{action}' for a runner"));
        if (registry.FindLog(model) is not { } log) return TypedResults.NotFound(new RunnerError($"no runner has run '{model}'"));
        if (follow is not true) return RunnerLogResults.Download(model, log);
        await RunnerLogResults.FollowAsync(context, log, lifetime.ApplicationStopping);
        return TypedResults.Empty;
    }

    /// <summary>Runner state changes as SSE (<c>event: runner</c>), from subscription on, until the client or the host goes away.</summary>
    public static async Task StreamEventsAsync(HttpContext context, RunnerEvents events, IHostApplicationLifetime lifetime)
    {
        // Without the host's stopping token, shutdown would wait out its timeout on every open stream.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var ct = stopping.Token;
        using var subscription = events.Subscribe();
        try
        {
            await ServerSentEvents.StartAsync(context.Response, ct);
            await foreach (var change in subscription.Reader.ReadAllAsync(ct))
                await ServerSentEvents.WriteAsync(context.Response, "runner", change, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client or the host went away: the normal end of a stream.
        }
    }
}

public sealed record StartRunnerRequest(string? Model);

/// <summary>Every error of this service: a sentence for people, and for some a code for programs.</summary>
public sealed record RunnerError(string Error, string? Code = null)
{
    public static RunnerError ModelNotFound(string model) => new($"model '{model}' not found", "model_not_found");
}

public sealed record UnloadAllResponse(int Unloaded);
