using Microsoft.AspNetCore.Http.HttpResults;

namespace LlamaAspire.RunnerAgent.Scheduling;

/// <summary>
/// The HTTP face of <see cref="SchedulerError"/>: busy and timed-out swaps are 503 (try again later), a model that can
/// never fit the memory budget is 507 Insufficient Storage, a failed load is 502 (llama-server failed us).
/// </summary>
public static class SchedulerErrors
{
    public static int StatusCode(SchedulerErrorKind kind) => kind switch
    {
        SchedulerErrorKind.NeverFits => StatusCodes.Status507InsufficientStorage,
        SchedulerErrorKind.LoadFailed => StatusCodes.Status502BadGateway,
        _ => StatusCodes.Status503ServiceUnavailable,
    };

    public static string Code(SchedulerErrorKind kind) => kind switch
    {
        SchedulerErrorKind.Busy => "busy",
        SchedulerErrorKind.SwapTimeout => "swap_timeout",
        SchedulerErrorKind.NeverFits => "never_fits",
        SchedulerErrorKind.LoadFailed => "load_failed",
        _ => "shutting_down",
    };

    public static JsonHttpResult<RunnerError> ToResult(SchedulerError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return TypedResults.Json(new RunnerError(error.Message, Code(error.Kind)), statusCode: StatusCode(error.Kind));
    }
}
