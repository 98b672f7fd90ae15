namespace LlamaAspire.ServiceDefaults.Http;

/// <summary>Reads a response's Retry-After header (delta seconds or an HTTP date) as a delay.</summary>
internal static class RetryAfterDelay
{
    public static TimeSpan? From(HttpResponseMessage? response, DateTimeOffset now)
    {
        var retryAfter = response?.Headers.RetryAfter;
        if (retryAfter?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (retryAfter?.Date is { } date)
        {
            var untilDate = date - now;
            return untilDate < TimeSpan.Zero ? TimeSpan.Zero : untilDate;
        }

        return null;
    }
}
