using System.Net;
using LlamaAspire.RunnerAgent.Runners;
using LlamaAspire.RunnerAgent.Tests.Support;
using LlamaAspire.TestSupport;
using LlamaAspire.TestSupport.Processes;

namespace LlamaAspire.RunnerAgent.Tests.Runners;

/// <summary>Starting runners: the real llama-server, tiny models, a fake MetadataService over real HTTP.</summary>
public sealed class RunnerRegistryTests(ITestOutputHelper output)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EnsureStartedAsync_KnownModel_ReturnsReadyRunner()
    {
        using var dir = new TempDirectory("registry-ready");
        var model = Models.Chat(dir, "tiny-a");
        int pid;
        await using (var harness = await RegistryHarness.StartAsync(output, 1, model))
        {
            var runner = await harness.StartReadyAsync("tiny-a", Ct);
            pid = runner.Pid!.Value;

            Assert.Equal(("tiny-a", "ready", "default", harness.Binary, 1.0), (runner.Model, runner.State, runner.Runtime, runner.RuntimePath, runner.LoadProgress));
            Assert.Equal((512, 4, 0, 0), (runner.ContextLength, runner.Parallel, runner.InFlight, runner.Queued));
            Assert.True(runner.MemoryBytes > 0, "the resident size of a running llama-server is measured");
            Assert.True(runner.MemoryEstimateBytes >= new FileInfo(model.Path).Length, "the estimate covers at least the weights");
            Assert.NotNull(runner.ExpiresAt);
            Assert.False(string.IsNullOrEmpty(runner.RuntimeVersion), "the runtime's --version is reported");
            Assert.Equal($"http://127.0.0.1:{runner.Port}", runner.Endpoint);
            Assert.True(ProcessTable.IsRunning(pid));
            using var http = new HttpClient();
            using var health = await http.GetAsync(new Uri(runner.Endpoint + "/health"), Ct);
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }

        await ProcessAssert.ExitedAsync(pid);
        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task EnsureStartedAsync_SameModelAgain_ReusesTheProcess()
    {
        using var dir = new TempDirectory("registry-reuse");
        var model = Models.Chat(dir, "tiny-a");
        await using (var harness = await RegistryHarness.StartAsync(output, 1, model))
        {
            var first = await harness.StartReadyAsync("tiny-a", Ct);
            var second = await harness.StartReadyAsync("tiny-a", Ct);
            var otherCase = await harness.StartReadyAsync("TINY-A", Ct);

            Assert.Equal(first.Pid!.Value, second.Pid!.Value);
            Assert.Equal(first.Pid!.Value, otherCase.Pid!.Value);
            Assert.Equal(first.Endpoint, second.Endpoint);
            Assert.Equal(first.Pid!.Value, Assert.Single(await harness.Registry.ListAsync(Ct)).Pid!.Value);
        }

        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task EnsureStartedAsync_ConcurrentCallsForOneModel_StartOneProcess()
    {
        using var dir = new TempDirectory("registry-concurrent");
        await using (var harness = await RegistryHarness.StartAsync(output, 1, Models.Chat(dir, "tiny-a")))
        {
            using var events = harness.Registry.Events.Subscribe();

            var runners = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => harness.StartReadyAsync("tiny-a", Ct)));

            Assert.Single(runners.Select(r => r.Pid!.Value).Distinct());
            Assert.Equal(RunnerState.Starting, (await events.Reader.ReadAsync(Ct)).To);
            Assert.Equal(RunnerState.Ready, (await events.Reader.ReadAsync(Ct)).To);
            Assert.False(events.Reader.TryRead(out _));
        }

        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task EnsureStartedAsync_ConfiguredLlamaServerMissing_ReturnsFailedNamingThePath()
    {
        using var dir = new TempDirectory("registry-no-binary");
        var missing = dir.Combine("no-such-llama-server");
        await using var harness = await RegistryHarness.StartAsync(output, missing, 1, Models.Chat(dir, "tiny-a"));

        var result = await harness.Registry.EnsureStartedAsync("tiny-a", Ct);

        var failed = Assert.IsType<StartResult.Failed>(result);
        Assert.Equal($"llama-server is not available: Runner:LlamaServerPath does not exist: {missing}", failed.Message);
        Assert.Empty(await harness.Registry.ListAsync(Ct));
    }

    [Fact]
    public async Task EnsureStartedAsync_UnknownModel_ReturnsModelNotFound()
    {
        using var dir = new TempDirectory("registry-unknown");
        await using var harness = await RegistryHarness.StartAsync(output, 1, Models.Chat(dir, "tiny-a"));

        var result = await harness.Registry.EnsureStartedAsync("no-such-model", Ct);

        Assert.Equal("no-such-model", Assert.IsType<StartResult.ModelNotFound>(result).Model);
        Assert.Empty(await harness.Registry.ListAsync(Ct));
        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task EnsureStartedAsync_CorruptModelFile_ReturnsFailedWithLlamaServerOutput()
    {
        using var dir = new TempDirectory("registry-corrupt");
        await using (var harness = await RegistryHarness.StartAsync(output, 1, Models.RandomBytes(dir, "broken")))
        {
            var result = await harness.Registry.EnsureStartedAsync("broken", Ct);

            var failed = Assert.IsType<StartResult.Failed>(result);
            output.WriteLine(failed.Message);
            Assert.Equal("broken", failed.Model);
            Assert.Contains("exited with code 1 while loading broken", failed.Message, StringComparison.Ordinal);
            Assert.Contains("invalid magic characters", failed.Message, StringComparison.Ordinal);
            Assert.Empty(await harness.Registry.ListAsync(Ct));
        }

        await ProcessAssert.NoneRunningAsync(dir.Path);
    }
}
