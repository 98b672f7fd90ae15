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
        return runners;
    }

    public static async Task<Ok<IReadOnlyList<RunnerInfo>>> ListRunnersAsync(RunnerRegistry registry, CancellationToken ct) =>
        TypedResults.Ok(await registry.ListAsync(ct));

    public static async Task<Results<Ok<RunnerInfo>, BadRequest<RunnerError>, NotFound<RunnerError>, ProblemHttpResult>> StartRunnerAsync(
        StartRunnerRequest request, RunnerRegistry registry, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Model)) return TypedResults.BadRequest(new RunnerError("'model' is required"));
        return await registry.EnsureStartedAsync(request.Model, ct) switch
        {
            StartResult.Ready ready => TypedResults.Ok(ready.Runner),
            StartResult.ModelNotFound notFound => TypedResults.NotFound(new RunnerError($"model '{notFound.Model}' not found")),
            StartResult.Failed failed => TypedResults.Problem(failed.Message, statusCode: StatusCodes.Status502BadGateway, title: "llama-server failed to start"),
            _ => throw new InvalidOperationException("Unknown start result."),
        };
    }

    public static async Task<Results<NoContent, NotFound<RunnerError>>> StopRunnerAsync(string model, RunnerRegistry registry) =>
        await registry.StopAsync(model) ? TypedResults.NoContent() : TypedResults.NotFound(new RunnerError($"no runner for '{model}'"));
}

public sealed record StartRunnerRequest(string? Model);

public sealed record RunnerError(string Error);
