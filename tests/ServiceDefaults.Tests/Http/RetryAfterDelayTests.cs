using System.Net.Http.Headers;
using LlamaAspire.ServiceDefaults.Http;

namespace LlamaAspire.ServiceDefaults.Tests.Http;

public sealed class RetryAfterDelayTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 31, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void From_DeltaSeconds_ReturnsDelta()
    {
        using var response = new HttpResponseMessage();
        response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(3));

        Assert.Equal(TimeSpan.FromSeconds(3), RetryAfterDelay.From(response, Now));
    }

    [Fact]
    public void From_HttpDate_ReturnsTimeUntilDate()
    {
        using var response = new HttpResponseMessage();
        response.Headers.RetryAfter = new RetryConditionHeaderValue(Now.AddSeconds(7));

        Assert.Equal(TimeSpan.FromSeconds(7), RetryAfterDelay.From(response, Now));
    }

    [Fact]
    public void From_DateInThePast_ReturnsZero()
    {
        using var response = new HttpResponseMessage();
        response.Headers.RetryAfter = new RetryConditionHeaderValue(Now.AddSeconds(-7));

        Assert.Equal(TimeSpan.Zero, RetryAfterDelay.From(response, Now));
    }

    [Fact]
    public void From_NoHeaderOrNoResponse_ReturnsNull()
    {
        using var response = new HttpResponseMessage();

        Assert.Null(RetryAfterDelay.From(response, Now));
        Assert.Null(RetryAfterDelay.From(null, Now));
    }
}
