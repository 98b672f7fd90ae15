using System.Net;
using LlamaAspire.ServiceDefaults.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LlamaAspire.ServiceDefaults.Tests.Health;

public sealed class HealthEndpointsTests
{
    [Theory]
    [InlineData("/health")]
    [InlineData("/alive")]
    public async Task MapDefaultEndpoints_ProductionEnvironment_AnswersHealthyAsPlainText(string path)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await DefaultsWebApp.StartAsync(ct);

        using var response = await app.Client.GetAsync(new Uri(path, UriKind.Relative), ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(ct));
    }

    [Fact]
    public async Task MapDefaultEndpoints_FailingCheckWithoutLiveTag_FailsHealthButNotAlive()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await DefaultsWebApp.StartAsync(ct, builder =>
            builder.Services.AddHealthChecks().AddCheck("models-scanned", () => HealthCheckResult.Unhealthy()));

        using var health = await app.Client.GetAsync(new Uri("/health", UriKind.Relative), ct);
        using var alive = await app.Client.GetAsync(new Uri("/alive", UriKind.Relative), ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal("Unhealthy", await health.Content.ReadAsStringAsync(ct));
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }

    [Fact]
    public async Task AddDefaultHealthChecks_SelfCheck_IsTaggedLive()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await DefaultsWebApp.StartAsync(ct);

        var service = app.Services.GetRequiredService<HealthCheckService>();
        var report = await service.CheckHealthAsync(r => r.Tags.Contains("live"), ct);

        Assert.Equal(["self"], report.Entries.Keys);
    }
}
