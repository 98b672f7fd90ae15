using System.Diagnostics;
using LlamaAspire.RunnerAgent.Scheduling;
using LlamaAspire.RunnerAgent.Tests.Support;
using LlamaAspire.TestSupport;
using LlamaAspire.TestSupport.LlamaServer;
using LlamaAspire.TestSupport.Processes;

namespace LlamaAspire.RunnerAgent.Tests.Scheduling;

/// <summary>
/// Faults a real llama-server will not show on demand, from the fake one (tests/FakeLlamaServer) behind the real
/// launcher and scheduler: a crash while loading, a crash mid-stream, a stop that is ignored, a load that stalls.
/// </summary>
public sealed class SchedulingFaultTests(ITestOutputHelper output)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Acquire_ServerCrashesWhileLoading_RefusedWithTheExitCodeAndItsLastOutput()
    {
        using var dir = new TempDirectory("fault-load-crash");
        var fake = FakeLlamaServerBinary.CreateLauncher(dir.Path, new Dictionary<string, string> { ["FAKE_LLAMA_CRASH_DURING_LOAD"] = "3" });
        await using (var harness = await RegistryHarness.StartAsync(output, o => o.LlamaServerPath = fake, Models.Chat(dir, "tiny-a")))
        {
            var refused = Assert.IsType<AcquireResult.Rejected>(await harness.Registry.AcquireAsync(new LeaseRequest("tiny-a"), Ct));

            Assert.Equal(SchedulerErrorKind.LoadFailed, refused.Error.Kind);
            Assert.Contains("exited with code 3", refused.Error.Message, StringComparison.Ordinal);
            Assert.Contains("exiting due to model loading error", refused.Error.Message, StringComparison.Ordinal);
            Assert.Empty(await harness.Registry.ListAsync(Ct));
        }

        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task Stream_ServerCrashesMidStream_EndsWithinASecondAndTheNextRequestStartsItAgain()
    {
        using var dir = new TempDirectory("fault-mid-stream");
        var fake = FakeLlamaServerBinary.CreateLauncher(dir.Path, new Dictionary<string, string>
        {
            ["FAKE_LLAMA_CRASH_AFTER_TOKENS"] = "5",
            ["FAKE_LLAMA_TOKENS"] = "1000",
            ["FAKE_LLAMA_TOKEN_DELAY_MS"] = "20",
        });
        await using (var harness = await RegistryHarness.StartAsync(output, o => o.LlamaServerPath = fake, Models.Chat(dir, "tiny-a")))
        {
            var lease = Assert.IsType<AcquireResult.Granted>(await harness.Registry.AcquireAsync(new LeaseRequest("tiny-a"), Ct)).Lease;
            var pid = (await harness.Registry.ListAsync(Ct)).Single().Pid!.Value;
            using var stream = await ChatStream.StartAsync(lease.Endpoint.ToString(), "tiny-a", tokens: 1000, Ct);
            Assert.True(await stream.ReadNextAsync(Ct));

            var clock = Stopwatch.StartNew();
            var broke = await Record.ExceptionAsync(() => stream.ReadToEndAsync(Ct));
            output.WriteLine($"the stream ended {clock.ElapsedMilliseconds} ms after its first chunk: {broke?.GetType().Name ?? "clean end"}");

            Assert.NotNull(broke);   // chunked encoding cut off: a client can tell it from a finished stream
            Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(1));
            await harness.Registry.ReleaseAsync(lease.LeaseId);
            await ProcessAssert.ExitedAsync(pid);
            var next = Assert.IsType<AcquireResult.Granted>(await harness.Registry.AcquireAsync(new LeaseRequest("tiny-a"), Ct)).Lease;
            Assert.NotEqual(pid, (await harness.Registry.ListAsync(Ct)).Single().Pid);
            await harness.Registry.ReleaseAsync(next.LeaseId);
        }

        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task Unload_ServerIgnoresSigtermAndTheExitCommand_IsKilledAfterTheGracePeriod()
    {
        using var dir = new TempDirectory("fault-ignore-term");
        var fake = FakeLlamaServerBinary.CreateLauncher(dir.Path, new Dictionary<string, string> { ["FAKE_LLAMA_IGNORE_SIGTERM"] = "1" });
        await using (var harness = await RegistryHarness.StartAsync(output, o =>
        {
            o.LlamaServerPath = fake;
            o.StopGracePeriod = TimeSpan.FromSeconds(1);
        }, Models.Chat(dir, "tiny-a")))
        {
            var runner = Assert.IsType<RunnerAgent.Runners.StartResult.Ready>(await harness.Registry.EnsureStartedAsync("tiny-a", Ct)).Runner;

            var clock = Stopwatch.StartNew();
            Assert.True(await harness.Registry.StopAsync("tiny-a"));

            Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8));
            Assert.False(ProcessTable.IsRunning(runner.Pid!.Value));
            Assert.Contains(harness.Registry.FindLog("tiny-a")!.Lines, l => l.Text.Contains("fake: ignoring", StringComparison.Ordinal));
        }

        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task Acquire_LoadMakesNoProgress_FailsAfterTheStallTimeoutNotBefore()
    {
        using var dir = new TempDirectory("fault-stall");
        var fake = FakeLlamaServerBinary.CreateLauncher(dir.Path, new Dictionary<string, string> { ["FAKE_LLAMA_LOAD_DELAY_MS"] = "30000" });
        await using (var harness = await RegistryHarness.StartAsync(output, o =>
        {
            o.LlamaServerPath = fake;
            o.LoadStallTimeout = TimeSpan.FromSeconds(2);
        }, Models.Chat(dir, "tiny-a")))
        {
            var clock = Stopwatch.StartNew();
            var refused = Assert.IsType<AcquireResult.Rejected>(await harness.Registry.AcquireAsync(new LeaseRequest("tiny-a"), Ct));

            Assert.Contains("made no progress", refused.Error.Message, StringComparison.Ordinal);
            Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(2), $"failed after {clock.Elapsed}");
        }

        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task Acquire_ModelArgsNameAFlagTheBinaryDoesNotKnow_RefusedNamingItWithoutStarting()
    {
        using var dir = new TempDirectory("fault-unknown-flag");
        await using (var harness = await RegistryHarness.StartAsync(output, o =>
            o.Models.Add(new ModelSettings { Model = "tiny-a", Args = ["--threads", "1", "--mlock"] }), Models.Chat(dir, "tiny-a")))
        {
            var refused = Assert.IsType<AcquireResult.Rejected>(await harness.Registry.AcquireAsync(new LeaseRequest("tiny-a"), Ct));

            Assert.Contains("--mlock", refused.Error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("--threads", refused.Error.Message, StringComparison.Ordinal);
            Assert.Null(harness.Registry.FindLog("tiny-a"));
        }

        await ProcessAssert.NoneRunningAsync(dir.Path);
    }
}
