using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace LlamaAspire.ServiceDefaults.Http;

/// <summary>
/// The two pipelines a control-plane client needs: total timeout → retry → attempt timeout for requests
/// that are safe to send again, and the same without the retry for everything else (POST, streamed bodies).
/// </summary>
internal sealed class ControlPlanePipelines(ResiliencePipeline<HttpResponseMessage> retrying, ResiliencePipeline<HttpResponseMessage> singleAttempt)
{
    public static readonly ResiliencePropertyKey<HttpRequestMessage> RequestKey = new("LlamaAspire.Request");

    public ResiliencePipeline<HttpResponseMessage> For(HttpRequestMessage request) =>
        RetryEligibility.CanResend(request) ? retrying : singleAttempt;

    public static ControlPlanePipelines Create(ControlPlaneHttpOptions options, string clientName, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);

        var retrying = NewBuilder(timeProvider).AddTimeout(options.TotalTimeout);
        if (options.MaxRetryAttempts > 0)
        {
            retrying.AddRetry(RetryOptions(options, clientName, timeProvider, logger));
        }

        retrying.AddTimeout(options.AttemptTimeout);

        var singleAttempt = NewBuilder(timeProvider)
            .AddTimeout(options.TotalTimeout)
            .AddTimeout(options.AttemptTimeout);

        return new ControlPlanePipelines(retrying.Build(), singleAttempt.Build());
    }

    private static ResiliencePipelineBuilder<HttpResponseMessage> NewBuilder(TimeProvider timeProvider) =>
        new() { TimeProvider = timeProvider };

    private static RetryStrategyOptions<HttpResponseMessage> RetryOptions(
        ControlPlaneHttpOptions options, string clientName, TimeProvider timeProvider, ILogger logger) => new()
        {
            MaxRetryAttempts = options.MaxRetryAttempts,
            Delay = options.RetryBaseDelay,
            MaxDelay = options.MaxRetryDelay,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            ShouldHandle = static args => ValueTask.FromResult(IsRetryable(args.Outcome)),
            DelayGenerator = args =>
            {
                // A server-provided Retry-After wins over our backoff, but never beyond our cap.
                var serverDelay = RetryAfterDelay.From(args.Outcome.Result, timeProvider.GetUtcNow());
                return ValueTask.FromResult(serverDelay is { } delay ? (TimeSpan?)Min(delay, options.MaxRetryDelay) : null);
            },
            OnRetry = args =>
            {
                LogRetry(logger, clientName, args);
                return ValueTask.CompletedTask;
            },
        };

    private static bool IsRetryable(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result: { } response } => RetryEligibility.IsTransient(response.StatusCode),
        _ => false,
    };

    private static void LogRetry(ILogger logger, string clientName, OnRetryArguments<HttpResponseMessage> args)
    {
        if (!logger.IsEnabled(LogLevel.Warning) || !args.Context.Properties.TryGetValue(RequestKey, out var request))
        {
            return;
        }

        var reason = args.Outcome.Exception is { } exception
            ? exception.GetType().Name
            : $"status {(int)args.Outcome.Result!.StatusCode}";
        Log.RetryingRequest(
            logger,
            request.Method.Method,
            request.RequestUri?.GetLeftPart(UriPartial.Path) ?? "",
            clientName,
            args.RetryDelay.TotalMilliseconds,
            args.AttemptNumber + 1,
            reason);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
