using LlamaAspire.ServiceDefaults.Http;
using LlamaAspire.ServiceDefaults.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LlamaAspire.ServiceDefaults.Tests.Http;

public sealed class ControlPlaneHttpOptionsTests
{
    [Fact]
    public void Defaults_MatchTheDocumentedPolicy()
    {
        var options = new ControlPlaneHttpOptions();

        Assert.True(options.Enabled);
        Assert.Equal(TimeSpan.FromSeconds(30), options.TotalTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), options.AttemptTimeout);
        Assert.Equal(3, options.MaxRetryAttempts);
        Assert.Equal(TimeSpan.FromMilliseconds(200), options.RetryBaseDelay);
    }

    [Fact]
    public void Get_ConfigurationSection_BindsEveryNamedInstance()
    {
        var builder = HostFactory.CreateHostBuilder(new Dictionary<string, string?>
        {
            ["HttpClientDefaults:MaxRetryAttempts"] = "1",
            ["HttpClientDefaults:AttemptTimeout"] = "00:00:02",
        });
        builder.AddServiceDefaults();
        using var host = builder.Build();
        var monitor = host.Services.GetRequiredService<IOptionsMonitor<ControlPlaneHttpOptions>>();

        Assert.Equal(1, monitor.CurrentValue.MaxRetryAttempts);
        Assert.Equal(TimeSpan.FromSeconds(2), monitor.Get("metadata").AttemptTimeout);
    }

    [Theory]
    [InlineData("HttpClientDefaults:AttemptTimeout", "00:01:00")]
    [InlineData("HttpClientDefaults:MaxRetryAttempts", "-1")]
    [InlineData("HttpClientDefaults:TotalTimeout", "00:00:00")]
    public async Task StartAsync_InvalidOptions_FailsOnStart(string key, string value)
    {
        var builder = HostFactory.CreateHostBuilder(new Dictionary<string, string?> { [key] = value });
        builder.AddServiceDefaults();
        using var host = builder.Build();

        await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));
    }
}
