using LlamaAspire.RunnerAgent.LlamaServer;
using LlamaAspire.RunnerAgent.Metadata;
using LlamaAspire.RunnerAgent.Runners;
using LlamaAspire.RunnerAgent.Scheduling;
using LlamaAspire.TestSupport.Network;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LlamaAspire.RunnerAgent.Tests.Support;

/// <summary>A RunnerScheduler wired to the real llama-server and a fake MetadataService; disposing stops it like the host would.</summary>
internal sealed class RegistryHarness : IAsyncDisposable
{
    private readonly LoopbackWebServer _metadata;
    private readonly HttpClient _metadataHttp;
    private readonly LlamaServerLocator _locator;

    private RegistryHarness(LoopbackWebServer metadata, HttpClient metadataHttp, LlamaServerLocator locator, RunnerScheduler registry, string binary)
    {
        _metadata = metadata;
        _metadataHttp = metadataHttp;
        _locator = locator;
        Registry = registry;
        Binary = binary;
    }

    public RunnerScheduler Registry { get; }

    public string Binary { get; }

    public static async Task<RegistryHarness> StartAsync(ITestOutputHelper output, int maxRunners, params ModelInfo[] models) =>
        await StartAsync(output, await TestSupport.LlamaServer.LlamaServerBinary.GetPathAsync(), maxRunners, models);

    /// <summary>With <paramref name="binary"/> as the configured Runner:LlamaServerPath, which need not exist.</summary>
    public static Task<RegistryHarness> StartAsync(ITestOutputHelper output, string binary, int maxRunners, params ModelInfo[] models) =>
        StartAsync(output, binary, o => o.MaxRunners = maxRunners, models);

    /// <summary>With the options a test sets on top of the harness's (real binary unless it sets LlamaServerPath).</summary>
    public static async Task<RegistryHarness> StartAsync(ITestOutputHelper output, Action<RunnerOptions> configure, params ModelInfo[] models) =>
        await StartAsync(output, await TestSupport.LlamaServer.LlamaServerBinary.GetPathAsync(), configure, models);

    private static async Task<RegistryHarness> StartAsync(ITestOutputHelper output, string binary, Action<RunnerOptions> configure, ModelInfo[] models)
    {
        var runnerOptions = new RunnerOptions
        {
            LlamaServerPath = binary,
            StopGracePeriod = TimeSpan.FromSeconds(10),
            LoadStallTimeout = TimeSpan.FromSeconds(60),
            DefaultContextLength = 512,
        };
        configure(runnerOptions);
        binary = runnerOptions.LlamaServerPath!;
        var options = Options.Create(runnerOptions);
        var metadata = await FakeMetadataService.StartAsync(models);
        var metadataHttp = new HttpClient { BaseAddress = metadata.BaseAddress };
        var locator = new LlamaServerLocator(options, new TestOutputLogger<LlamaServerLocator>(output));
        var launcher = new LlamaServerLauncher(TimeProvider.System, new TestOutputLogger<LlamaServerLauncher>(output));
        var registry = new RunnerScheduler(
            locator, new MetadataClient(metadataHttp), launcher, new RunnerEvents(), options, TimeProvider.System, new TestOutputLogger<RunnerScheduler>(output));
        return new RegistryHarness(metadata, metadataHttp, locator, registry, binary);
    }

    public async Task<RunnerInfo> StartReadyAsync(string model, CancellationToken ct)
    {
        var result = await Registry.EnsureStartedAsync(model, ct);
        return Assert.IsType<StartResult.Ready>(result).Runner;
    }

    public async ValueTask DisposeAsync()
    {
        await ((IHostedService)Registry).StopAsync(CancellationToken.None);
        await Registry.DisposeAsync();
        _locator.Dispose();
        _metadataHttp.Dispose();
        await _metadata.DisposeAsync();
    }
}
