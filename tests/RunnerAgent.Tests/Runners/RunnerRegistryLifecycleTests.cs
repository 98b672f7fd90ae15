using System.Diagnostics;
using LlamaAspire.RunnerAgent.Tests.Support;
using LlamaAspire.TestSupport;
using LlamaAspire.TestSupport.Processes;
using Microsoft.Extensions.Hosting;

namespace LlamaAspire.RunnerAgent.Tests.Runners;

/// <summary>Stopping runners: eviction, explicit stops, host shutdown and a runner that dies on its own.</summary>
public sealed class RunnerRegistryLifecycleTests(ITestOutputHelper output)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EnsureStartedAsync_SecondModelAtMaxRunners_StopsTheFirst()
    {
        using var dir = new TempDirectory("registry-evict");
        await using (var harness = await RegistryHarness.StartAsync(output, 1, Models.Chat(dir, "tiny-a"), Models.Chat(dir, "tiny-b", seed: 2)))
        {
            var first = await harness.StartReadyAsync("tiny-a", Ct);
            var second = await harness.StartReadyAsync("tiny-b", Ct);

            await ProcessAssert.ExitedAsync(first.Pid!.Value);
            Assert.NotEqual(first.Pid!.Value, second.Pid!.Value);
            Assert.True(ProcessTable.IsRunning(second.Pid!.Value));
            Assert.Equal("tiny-b", Assert.Single(await harness.Registry.ListAsync(Ct)).Model);
        }

        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task StopAsync_HostStopping_StopsEveryRunner()
    {
        using var dir = new TempDirectory("registry-host-stop");
        await using (var harness = await RegistryHarness.StartAsync(output, 2, Models.Chat(dir, "tiny-a"), Models.Chat(dir, "tiny-b", seed: 2)))
        {
            var a = await harness.StartReadyAsync("tiny-a", Ct);
            var b = await harness.StartReadyAsync("tiny-b", Ct);
            Assert.Equal(2, (await harness.Registry.ListAsync(Ct)).Count);

            var clock = Stopwatch.StartNew();
            await ((IHostedService)harness.Registry).StopAsync(Ct);
            output.WriteLine($"host stop of 2 runners took {clock.ElapsedMilliseconds} ms");

            await ProcessAssert.ExitedAsync([a.Pid!.Value, b.Pid!.Value]);
            Assert.Empty(await harness.Registry.ListAsync(Ct));
        }

        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task StopAsync_RunningModel_StopsItOnce()
    {
        using var dir = new TempDirectory("registry-stop");
        await using (var harness = await RegistryHarness.StartAsync(output, 1, Models.Chat(dir, "tiny-a")))
        {
            var runner = await harness.StartReadyAsync("tiny-a", Ct);

            Assert.True(await harness.Registry.StopAsync("TINY-A"));
            await ProcessAssert.ExitedAsync(runner.Pid!.Value);
            Assert.False(await harness.Registry.StopAsync("tiny-a"));
            Assert.Empty(await harness.Registry.ListAsync(Ct));
        }

        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task EnsureStartedAsync_RunnerKilledExternally_StartsANewProcess()
    {
        using var dir = new TempDirectory("registry-killed");
        await using (var harness = await RegistryHarness.StartAsync(output, 1, Models.Chat(dir, "tiny-a")))
        {
            var first = await harness.StartReadyAsync("tiny-a", Ct);
            using (var victim = Process.GetProcessById(first.Pid!.Value)) victim.Kill();
            await ProcessAssert.ExitedAsync(first.Pid!.Value);
            Assert.True(await Wait.UntilAsync(async () => (await harness.Registry.ListAsync(Ct)).Count == 0, TimeSpan.FromSeconds(10)));

            var second = await harness.StartReadyAsync("tiny-a", Ct);

            Assert.NotEqual(first.Pid!.Value, second.Pid!.Value);
            Assert.True(ProcessTable.IsRunning(second.Pid!.Value));
        }

        await ProcessAssert.NoneRunningAsync(dir.Path);
    }
}
