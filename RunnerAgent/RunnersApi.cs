using LlamaAspire.RunnerAgent.Runners;
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
        return runners;
    }

    public static async Task<Ok<IReadOnlyList<RunnerInfo>>> ListRunnersAsync(RunnerRegistry registry, CancellationToken ct) =>
        TypedResults.Ok(await registry.ListAsync(ct));

    public static async Task<Results<Ok<RunnerInfo>, BadRequest<RunnerError>, NotFound<RunnerError>, JsonHttpResult<RunnerError>>> StartRunnerAsync(
        StartRunnerRequest request, RunnerRegistry registry, CancellationToken ct)
    {
        if (ModelNames.Parse(request.Model, out var error) is not { } model) return TypedResults.BadRequest(new RunnerError(error!));
        return await LoadAsync(model, registry, ct);
    }

    /// <summary>POST /runners/{model}/load (ready, starting it if needed; returns the runner) and POST /runners/{model}/unload.</summary>
    public static async Task<IResult> PostRunnerActionAsync(string target, RunnerRegistry registry, CancellationToken ct)
    {
        var (rawModel, action) = RunnerTargets.Split(target);
        if (ModelNames.Parse(rawModel, out var error) is not { } model) return TypedResults.BadRequest(new RunnerError(error!));
        return action switch
        {
            "load" => await LoadAsync(model, registry, ct),
            "unload" => await UnloadAsync(model, registry),
            _ => TypedResults.NotFound(new RunnerError($"no action '{action}' for a runner")),
        };
    }

    /// <summary>POST /runners/unload-all: stops every runner; answers how many had a process.</summary>
    public static async Task<Ok<UnloadAllResponse>> UnloadAllAsync(RunnerRegistry registry) =>
        TypedResults.Ok(new UnloadAllResponse(await registry.StopAllAsync()));

    private static async Task<Results<Ok<RunnerInfo>, BadRequest<RunnerError>, NotFound<RunnerError>, JsonHttpResult<RunnerError>>> LoadAsync(
        string model, RunnerRegistry registry, CancellationToken ct) => await registry.EnsureStartedAsync(model, ct) switch
        {
            StartResult.Ready ready => TypedResults.Ok(ready.Runner),
            StartResult.ModelNotFound notFound => TypedResults.NotFound(new RunnerError($"model '{notFound.Model}' not found")),
            StartResult.Failed failed => TypedResults.Json(new RunnerError(failed.Message), statusCode: StatusCodes.Status502BadGateway),
            _ => throw new InvalidOperationException("Unknown start result."),
        };

    public static async Task<Results<NoContent, BadRequest<RunnerError>, NotFound<RunnerError>>> StopRunnerAsync(string model, RunnerRegistry registry)
    {
        if (ModelNames.Parse(model, out var error) is not { } name) return TypedResults.BadRequest(new RunnerError(error!));
        return await UnloadAsync(name, registry);
    }

    /// <summary>Takes a name already parsed: decoding it a second time would turn "%2525" into another model.</summary>
    private static async Task<Results<NoContent, BadRequest<RunnerError>, NotFound<RunnerError>>> UnloadAsync(string name, RunnerRegistry registry) =>
        await registry.StopAsync(name) ? TypedResults.NoContent() : TypedResults.NotFound(new RunnerError($"no runner for '{name}'"));

    /// <summary>GET /runners/{model}/logs: the model's output as a text download, or with <c>?follow=true</c> as SSE (<c>event: log</c>).</summary>
    public static async Task<IResult> GetRunnerResourceAsync(
        string target, bool? follow, HttpContext context, RunnerRegistry registry, IHostApplicationLifetime lifetime)
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

public sealed record RunnerError(string Error);

public sealed record UnloadAllResponse(int Unloaded);
