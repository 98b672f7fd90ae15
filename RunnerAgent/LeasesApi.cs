using System.Text.Json;
using LlamaAspire.RunnerAgent.Scheduling;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LlamaAspire.RunnerAgent;

/// <summary>
/// The data path's contract. A caller (the Gateway) acquires a lease for a model, talks to the llama-server at the
/// lease's endpoint directly, renews the lease while it streams, and releases it when done. The lease is what the
/// scheduler counts as in flight; one that is neither renewed nor released within the lease timeout is taken back.
/// </summary>
public static class LeasesApi
{
    public static RouteGroupBuilder MapLeasesApi(this IEndpointRouteBuilder app)
    {
        var leases = app.MapGroup("/leases");
        leases.MapPost("/", AcquireAsync).WithName("Leases.Acquire");
        leases.MapPost("/{id:guid}/renew", RenewAsync).WithName("Leases.Renew");
        leases.MapDelete("/{id:guid}", ReleaseAsync).WithName("Leases.Release");
        return leases;
    }

    /// <summary>
    /// POST /leases {"model", "contextLength"?, "keepAlive"?}: waits in the model's queue (loading it if needed) and
    /// answers the lease. A caller that goes away leaves the queue at once.
    /// </summary>
    public static async Task<IResult> AcquireAsync(HttpRequest http, RunnerScheduler scheduler, CancellationToken ct)
    {
        var (request, error) = await ReadRequestAsync(http, ct);
        if (request is null) return TypedResults.BadRequest(new RunnerError(error!));
        return await scheduler.AcquireAsync(request, ct) switch
        {
            AcquireResult.Granted granted => TypedResults.Ok(LeaseResponse.From(granted.Lease)),
            AcquireResult.ModelNotFound notFound => TypedResults.NotFound(RunnerError.ModelNotFound(notFound.Model)),
            AcquireResult.Rejected rejected => SchedulerErrors.ToResult(rejected.Error),
            _ => throw new InvalidOperationException("Unknown acquire result."),
        };
    }

    public static async Task<Results<Ok<RenewResponse>, NotFound<RunnerError>>> RenewAsync(Guid id, RunnerScheduler scheduler) =>
        await scheduler.RenewAsync(id) is { } renewBy ? TypedResults.Ok(new RenewResponse(renewBy)) : TypedResults.NotFound(UnknownLease(id));

    public static async Task<Results<NoContent, NotFound<RunnerError>>> ReleaseAsync(Guid id, RunnerScheduler scheduler) =>
        await scheduler.ReleaseAsync(id) ? TypedResults.NoContent() : TypedResults.NotFound(UnknownLease(id));

    private static RunnerError UnknownLease(Guid id) => new($"no lease '{id}': it was released, or taken back after it lapsed", "unknown_lease");

    private static async Task<(LeaseRequest? Request, string? Error)> ReadRequestAsync(HttpRequest http, CancellationToken ct)
    {
        JsonDocument body;
        try
        {
            body = await JsonDocument.ParseAsync(http.Body, cancellationToken: ct);
        }
        catch (JsonException e)
        {
            return (null, $"the body is not valid JSON: {e.Message}");
        }
        using (body)
        {
            var root = body.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return (null, "the body must be a JSON object with a \"model\"");
            var model = root.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            if (ModelNames.Parse(model, out var error) is not { } name) return (null, error);
            int? contextLength = null;
            if (root.TryGetProperty("contextLength", out var c) && c.ValueKind != JsonValueKind.Null)
            {
                if (c.ValueKind != JsonValueKind.Number || !c.TryGetInt32(out var value) || value < 0) return (null, "contextLength must be a positive integer");
                contextLength = value;
            }
            TimeSpan? keepAlive = null;
            if (root.TryGetProperty("keepAlive", out var k) && k.ValueKind != JsonValueKind.Null)
            {
                if (!KeepAlive.TryParse(k, out var value, out error)) return (null, error);
                keepAlive = value;
            }
            return (new LeaseRequest(name, contextLength, keepAlive), null);
        }
    }
}

/// <summary>Use <paramref name="Endpoint"/> (llama-server's own API) until released; renew before <paramref name="RenewBy"/> while streaming.</summary>
public sealed record LeaseResponse(Guid LeaseId, string Model, string Endpoint, int ContextLength, DateTimeOffset RenewBy)
{
    public static LeaseResponse From(LeaseGrant lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return new(lease.LeaseId, lease.ModelId, lease.Endpoint.ToString().TrimEnd('/'), lease.ContextLength, lease.RenewBy);
    }
}

public sealed record RenewResponse(DateTimeOffset RenewBy);
