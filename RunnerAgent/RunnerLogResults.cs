using System.Text;
using LlamaAspire.RunnerAgent.Runners;

namespace LlamaAspire.RunnerAgent;

/// <summary>A runner's log as a download or as a live SSE stream; helpers of <see cref="RunnersApi"/>.</summary>
internal static class RunnerLogResults
{
    public static IResult Download(string model, RunnerLog log)
    {
        var text = new StringBuilder();
        foreach (var line in log.Lines) text.Append(line).Append('\n');
        var fileName = string.Concat(model.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_')) + ".log";
        return TypedResults.File(Encoding.UTF8.GetBytes(text.ToString()), "text/plain; charset=utf-8", fileName);
    }

    /// <summary>The buffered lines, then live ones, until the client or the host goes away.</summary>
    public static async Task FollowAsync(HttpContext context, RunnerLog log, CancellationToken hostStopping)
    {
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, hostStopping);
        var ct = stopping.Token;
        using var follower = log.Follow();
        try
        {
            await ServerSentEvents.StartAsync(context.Response, ct);
            foreach (var line in follower.Buffered) await ServerSentEvents.WriteAsync(context.Response, "log", line, ct);
            await foreach (var line in follower.Live.ReadAllAsync(ct)) await ServerSentEvents.WriteAsync(context.Response, "log", line, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client or the host went away: the normal end of a stream.
        }
    }
}
