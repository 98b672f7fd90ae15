using System.ComponentModel.DataAnnotations;

namespace LlamaAspire.ServiceDefaults.Http;

/// <summary>
/// Resilience for short control-plane calls (leases, metadata, health). Named options: the instance
/// named after an HttpClient applies to that client, and <see cref="Enabled"/> = false leaves the
/// client bare, which is what <c>AddInferenceHttpClient</c> does for streaming calls.
/// </summary>
public sealed class ControlPlaneHttpOptions : IValidatableObject
{
    public const string SectionName = "HttpClientDefaults";

    public bool Enabled { get; set; } = true;

    /// <summary>Budget for the whole call, retries and their delays included.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Budget for one attempt, up to the response headers.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries after the first attempt; 0 turns retrying off. Only idempotent, re-sendable requests are retried.</summary>
    [Range(0, 10)]
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>First backoff delay; it doubles per retry, with jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Cap for any single delay, a server's Retry-After included.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (AttemptTimeout > TotalTimeout)
        {
            yield return new ValidationResult(
                $"{nameof(AttemptTimeout)} ({AttemptTimeout}) must not exceed {nameof(TotalTimeout)} ({TotalTimeout}).",
                [nameof(AttemptTimeout), nameof(TotalTimeout)]);
        }

        if (RetryBaseDelay > MaxRetryDelay)
        {
            yield return new ValidationResult(
                $"{nameof(RetryBaseDelay)} ({RetryBaseDelay}) must not exceed {nameof(MaxRetryDelay)} ({MaxRetryDelay}).",
                [nameof(RetryBaseDelay), nameof(MaxRetryDelay)]);
        }
    }
}
