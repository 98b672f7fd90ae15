using System.Net;
using System.Net.Http.Json;
using LlamaAspire.ServiceDefaults.Http;

namespace LlamaAspire.ServiceDefaults.Tests.Http;

public sealed class RetryEligibilityTests
{
    [Theory]
    [InlineData("GET", true)]
    [InlineData("HEAD", true)]
    [InlineData("OPTIONS", true)]
    [InlineData("PUT", true)]
    [InlineData("DELETE", true)]
    [InlineData("TRACE", true)]
    [InlineData("POST", false)]
    [InlineData("PATCH", false)]
    [InlineData("get", true)]
    public void IsIdempotent_Method_MatchesRfc9110(string method, bool expected) =>
        Assert.Equal(expected, RetryEligibility.IsIdempotent(new HttpMethod(method)));

    [Fact]
    public void CanResend_ReplayableBodies_AreAllowedForIdempotentMethods()
    {
        using var noBody = new HttpRequestMessage(HttpMethod.Get, "http://svc/");
        using var text = new HttpRequestMessage(HttpMethod.Put, "http://svc/") { Content = new StringContent("x") };
        using var json = new HttpRequestMessage(HttpMethod.Put, "http://svc/") { Content = JsonContent.Create(new { A = 1 }) };
        using var memory = new HttpRequestMessage(HttpMethod.Delete, "http://svc/") { Content = new ReadOnlyMemoryContent(new byte[] { 1 }) };

        Assert.All([noBody, text, json, memory], request => Assert.True(RetryEligibility.CanResend(request)));
    }

    [Fact]
    public void CanResend_StreamBody_IsRefused()
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, "http://svc/") { Content = new StreamContent(new MemoryStream([1, 2])) };

        Assert.False(RetryEligibility.CanResend(request));
    }

    [Fact]
    public void CanResend_Post_IsRefusedEvenWithoutBody()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://svc/");

        Assert.False(RetryEligibility.CanResend(request));
    }

    [Theory]
    [InlineData(HttpStatusCode.RequestTimeout, true)]
    [InlineData(HttpStatusCode.TooManyRequests, true)]
    [InlineData(HttpStatusCode.InternalServerError, true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, true)]
    [InlineData(HttpStatusCode.NotFound, false)]
    [InlineData(HttpStatusCode.Conflict, false)]
    [InlineData(HttpStatusCode.OK, false)]
    public void IsTransient_Status_MatchesStandardHandler(HttpStatusCode status, bool expected) =>
        Assert.Equal(expected, RetryEligibility.IsTransient(status));
}
