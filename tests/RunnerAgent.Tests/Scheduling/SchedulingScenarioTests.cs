using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LlamaAspire.RunnerAgent.Runners;
using LlamaAspire.RunnerAgent.Scheduling;
using LlamaAspire.RunnerAgent.Tests.Support;
using LlamaAspire.TestSupport;
using LlamaAspire.TestSupport.Processes;

namespace LlamaAspire.RunnerAgent.Tests.Scheduling;

/// <summary>The scheduler with real llama-servers on generated tiny models, through leases as the Gateway uses them.</summary>
public sealed class SchedulingScenarioTests(ITestOutputHelper output)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Acquire_TwentyConcurrentRequestsOverThreeModelsAtMaxRunnersTwo_ServesAllWithAtMostTwoProcesses()
    {
        using var dir = new TempDirectory("sched-twenty");
        string[] ids = ["tiny-a", "tiny-b", "tiny-c"];
        await using (var harness = await RegistryHarness.StartAsync(output, o => o.MaxRunners = 2,
            Models.Chat(dir, ids[0]), Models.Chat(dir, ids[1], seed: 2), Models.Chat(dir, ids[2], seed: 3)))
        {
            using var sampling = new CancellationTokenSource();
            var mostAlive = SampleMostAliveAsync(dir.Path, sampling.Token);

            var requests = Enumerable.Range(0, 20).Select(async i =>
            {
                var model = ids[i % 3];
                var lease = Assert.IsType<AcquireResult.Granted>(await harness.Registry.AcquireAsync(new LeaseRequest(model), Ct)).Lease;
                try
                {
                    var reply = await ChatRequest.SendAsync(lease.Endpoint, model, Ct);
                    return reply["choices"]![0]!["message"]!["content"]!.GetValue<string>();
                }
                finally
                {
                    Assert.True(await harness.Registry.ReleaseAsync(lease.LeaseId));
                }
            }).ToList();
            var replies = await Task.WhenAll(requests);
            await sampling.CancelAsync();

            Assert.Equal(20, replies.Length);
            Assert.InRange(await mostAlive, 1, 2);
            Assert.All(await harness.Registry.ListAsync(Ct), r => Assert.Equal((0, 0), (r.InFlight, r.Queued)));
        }

        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task Acquire_SwapWhileAStreamIsInFlight_WaitsForTheStreamToFinish()
    {
        using var dir = new TempDirectory("sched-swap-waits");
        await using (var harness = await RegistryHarness.StartAsync(output, o => o.MaxRunners = 1, Models.Chat(dir, "tiny-a"), Models.Chat(dir, "tiny-b", seed: 2)))
        {
            var a = Assert.IsType<AcquireResult.Granted>(await harness.Registry.AcquireAsync(new LeaseRequest("tiny-a"), Ct)).Lease;
            var aPid = (await harness.Registry.ListAsync(Ct)).Single().Pid!.Value;
            using var stream = await ChatStream.StartAsync(a.Endpoint.ToString(), "tiny-a", tokens: 3000, Ct);
            Assert.True(await stream.ReadNextAsync(Ct));

            var b = harness.Registry.AcquireAsync(new LeaseRequest("tiny-b"), Ct);
            await stream.ReadToEndAsync(Ct);

            Assert.Equal(("length", true), (stream.FinishReason, stream.SawDone));
            Assert.False(b.IsCompleted, "b must wait for a's lease");
            Assert.True(ProcessTable.IsRunning(aPid));
            Assert.True(await harness.Registry.ReleaseAsync(a.LeaseId));
            var bLease = Assert.IsType<AcquireResult.Granted>(await b).Lease;
            await ProcessAssert.ExitedAsync(aPid);
            Assert.Equal("tiny-b", bLease.ModelId);
            await harness.Registry.ReleaseAsync(bLease.LeaseId);
        }

        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task Stream_LlamaServerKilledMidStream_EndsWithinASecondAndTheNextRequestWorks()
    {
        using var dir = new TempDirectory("sched-kill9");
        await using (var harness = await RegistryHarness.StartAsync(output, o => o.MaxRunners = 1, Models.Chat(dir, "tiny-a")))
        {
            var lease = Assert.IsType<AcquireResult.Granted>(await harness.Registry.AcquireAsync(new LeaseRequest("tiny-a"), Ct)).Lease;
            var pid = (await harness.Registry.ListAsync(Ct)).Single().Pid!.Value;
            using var stream = await ChatStream.StartAsync(lease.Endpoint.ToString(), "tiny-a", tokens: 200_000, Ct);
            Assert.True(await stream.ReadNextAsync(Ct));

            await Posix.SignalAsync(pid, "KILL");
            var clock = Stopwatch.StartNew();
            var broke = await Record.ExceptionAsync(() => stream.ReadToEndAsync(Ct));
            clock.Stop();
            output.WriteLine($"the stream ended {clock.ElapsedMilliseconds} ms after kill -9 ({broke?.GetType().Name ?? "clean end"})");

            Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(1));
            Assert.Null(stream.FinishReason);
            await harness.Registry.ReleaseAsync(lease.LeaseId);
            await ProcessAssert.ExitedAsync(pid);   // the next request comes after the crash, as a user's would
            var next = Assert.IsType<AcquireResult.Granted>(await harness.Registry.AcquireAsync(new LeaseRequest("tiny-a"), Ct)).Lease;
            await ChatRequest.SendAsync(next.Endpoint, "tiny-a", Ct);
            Assert.NotEqual(pid, (await harness.Registry.ListAsync(Ct)).Single().Pid);
            await harness.Registry.ReleaseAsync(next.LeaseId);
        }

        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task Release_KeepAliveZero_UnloadsAtOnce()
    {
        using var dir = new TempDirectory("sched-keepalive0");
        await using (var harness = await RegistryHarness.StartAsync(output, o => o.MaxRunners = 1, Models.Chat(dir, "tiny-a")))
        {
            var lease = Assert.IsType<AcquireResult.Granted>(await harness.Registry.AcquireAsync(new LeaseRequest("tiny-a", KeepAlive: TimeSpan.Zero), Ct)).Lease;
            var pid = (await harness.Registry.ListAsync(Ct)).Single().Pid!.Value;
            await ChatRequest.SendAsync(lease.Endpoint, "tiny-a", Ct);

            await harness.Registry.ReleaseAsync(lease.LeaseId);

            await ProcessAssert.ExitedAsync(pid);
            Assert.True(await Wait.UntilAsync(async () => (await harness.Registry.ListAsync(Ct)).Count == 0, TimeSpan.FromSeconds(10)), "waited for the runner to be gone");
        }

        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task Idle_DefaultKeepAlivePassed_Unloads()
    {
        using var dir = new TempDirectory("sched-ttl");
        await using (var harness = await RegistryHarness.StartAsync(output, o => o.DefaultKeepAlive = "1s", Models.Chat(dir, "tiny-a")))
        {
            var runner = Assert.IsType<StartResult.Ready>(await harness.Registry.EnsureStartedAsync("tiny-a", Ct)).Runner;
            Assert.NotNull(runner.ExpiresAt);
            Assert.InRange(runner.ExpiresAt!.Value - runner.LastUsedAt, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

            await ProcessAssert.ExitedAsync(runner.Pid!.Value, TimeSpan.FromSeconds(10));
        }

        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task Acquire_LargerContext_RestartsWithItAndSmallerOnesReuse()
    {
        using var dir = new TempDirectory("sched-ctx");
        await using (var harness = await RegistryHarness.StartAsync(output, o => o.DefaultContextLength = 512, Models.Chat(dir, "tiny-a")))
        {
            var first = Assert.IsType<StartResult.Ready>(await harness.Registry.EnsureStartedAsync("tiny-a", Ct)).Runner;
            var bigger = Assert.IsType<StartResult.Ready>(await harness.Registry.EnsureStartedAsync(new LeaseRequest("tiny-a", 2048), Ct)).Runner;
            var smaller = Assert.IsType<StartResult.Ready>(await harness.Registry.EnsureStartedAsync(new LeaseRequest("tiny-a", 1024), Ct)).Runner;

            Assert.Equal((512, 2048, 2048), (first.ContextLength, bigger.ContextLength, smaller.ContextLength));
            Assert.NotEqual(first.Pid, bigger.Pid);
            Assert.Equal(bigger.Pid, smaller.Pid);
            Assert.Contains("-c 2048", ProcessTable.Snapshot().Single(p => p.Pid == bigger.Pid).CommandLine, StringComparison.Ordinal);
        }

        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task LeasesApi_ClientGivesUpWhileQueued_LeavesTheQueueAtOnce()
    {
        using var dir = new TempDirectory("sched-api-cancel");
        await using (var harness = await RegistryHarness.StartAsync(output, o => o.MaxRunners = 1, Models.Chat(dir, "tiny-a"), Models.Chat(dir, "tiny-b", seed: 2)))
        await using (var host = await AgentHost.StartAsync(harness, Ct))
        {
            var a = await AcquireOverHttpAsync(host, "{\"model\":\"tiny-a\"}");
            using var giveUp = new CancellationTokenSource();
            var waiting = host.Http.PostAsync("/leases", new StringContent("{\"model\":\"tiny-b\"}"), giveUp.Token);
            Assert.True(await Wait.UntilAsync(async () => (await harness.Registry.ListAsync(Ct)).Any(r => r is { Model: "tiny-b", Queued: 1 }), TimeSpan.FromSeconds(10)), "waited for tiny-b to be queued");

            await giveUp.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);

            Assert.True(await Wait.UntilAsync(async () => !(await harness.Registry.ListAsync(Ct)).Any(r => r.Model == "tiny-b"), TimeSpan.FromSeconds(10)), "waited for tiny-b to leave the queue");
            var runners = await harness.Registry.ListAsync(Ct);
            Assert.Equal(("tiny-a", 1), (runners.Single().Model, runners.Single().InFlight));
            using var release = await host.Http.DeleteAsync($"/leases/{a.GetProperty("leaseId").GetGuid()}", Ct);
            Assert.Equal(HttpStatusCode.NoContent, release.StatusCode);
        }

        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task LeasesApi_AcquireRenewRelease_ContractHolds()
    {
        using var dir = new TempDirectory("sched-api");
        await using (var harness = await RegistryHarness.StartAsync(output, o => { }, Models.Chat(dir, "org/tiny-a")))
        await using (var host = await AgentHost.StartAsync(harness, Ct))
        {
            var lease = await AcquireOverHttpAsync(host, "{\"model\":\"ORG/Tiny-A\",\"contextLength\":1024,\"keepAlive\":\"10m\"}");
            var id = lease.GetProperty("leaseId").GetGuid();
            Assert.Equal(("org/tiny-a", 1024), (lease.GetProperty("model").GetString(), lease.GetProperty("contextLength").GetInt32()));
            await ChatRequest.SendAsync(new Uri(lease.GetProperty("endpoint").GetString()!), "org/tiny-a", Ct);

            using var renew = await host.Http.PostAsync($"/leases/{id}/renew", null, Ct);
            Assert.Equal(HttpStatusCode.OK, renew.StatusCode);
            Assert.True((await renew.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("renewBy").GetDateTimeOffset() > DateTimeOffset.UtcNow);
            using var release = await host.Http.DeleteAsync($"/leases/{id}", Ct);
            using var again = await host.Http.DeleteAsync($"/leases/{id}", Ct);
            using var renewGone = await host.Http.PostAsync($"/leases/{id}/renew", null, Ct);

            Assert.Equal((HttpStatusCode.NoContent, HttpStatusCode.NotFound, HttpStatusCode.NotFound), (release.StatusCode, again.StatusCode, renewGone.StatusCode));
            var runner = (await harness.Registry.ListAsync(Ct)).Single();
            Assert.Equal((0, "ready"), (runner.InFlight, runner.State));
            Assert.InRange(runner.ExpiresAt!.Value - runner.LastUsedAt, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(10));
        }

        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Theory]
    [InlineData("{\"model\":", "not valid JSON")]
    [InlineData("[1]", "JSON object")]
    [InlineData("{}", "model")]
    [InlineData("{\"model\":\"../etc/passwd\"}", "'..'")]
    [InlineData("{\"model\":\"tiny-a\",\"keepAlive\":\"soon\"}", "keep_alive")]
    [InlineData("{\"model\":\"tiny-a\",\"contextLength\":\"big\"}", "contextLength")]
    public async Task LeasesApi_BadRequest_Returns400WithTheReason(string body, string expected)
    {
        using var dir = new TempDirectory("sched-api-400");
        await using (var harness = await RegistryHarness.StartAsync(output, o => { }, Models.Chat(dir, "tiny-a")))
        await using (var host = await AgentHost.StartAsync(harness, Ct))
        {
            using var response = await host.Http.PostAsync("/leases", new StringContent(body), Ct);

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(expected, (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("error").GetString(), StringComparison.OrdinalIgnoreCase);
            Assert.Empty(await harness.Registry.ListAsync(Ct));
        }

        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task LeasesApi_UnknownModel_Returns404WithCode()
    {
        using var dir = new TempDirectory("sched-api-404");
        await using (var harness = await RegistryHarness.StartAsync(output, o => { }, Models.Chat(dir, "tiny-a")))
        await using (var host = await AgentHost.StartAsync(harness, Ct))
        {
            using var response = await host.Http.PostAsync("/leases", new StringContent("{\"model\":\"nope\"}"), Ct);

            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("model_not_found", (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task LeasesApi_ModelLargerThanTheBudget_Returns507NamingTheNumbers()
    {
        using var dir = new TempDirectory("sched-api-507");
        await using (var harness = await RegistryHarness.StartAsync(output, o => o.MemoryBudgetMiB = 1024, Models.Chat(dir, "tiny-a") with { SizeBytes = 2L << 30 }))
        await using (var host = await AgentHost.StartAsync(harness, Ct))
        {
            using var response = await host.Http.PostAsync("/leases", new StringContent("{\"model\":\"tiny-a\"}"), Ct);

            Assert.Equal(HttpStatusCode.InsufficientStorage, response.StatusCode);
            var error = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.Equal("never_fits", error.GetProperty("code").GetString());
            Assert.Contains("memory budget is 1.0 GiB", error.GetProperty("error").GetString(), StringComparison.Ordinal);
        }

        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    private static async Task<JsonElement> AcquireOverHttpAsync(AgentHost host, string body)
    {
        using var response = await host.Http.PostAsync("/leases", new StringContent(body), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task<int> SampleMostAliveAsync(string marker, CancellationToken ct)
    {
        var most = 0;
        while (!ct.IsCancellationRequested)
        {
            most = Math.Max(most, ProcessTable.FindByCommandLine(marker).Count);
            await Task.Delay(20, CancellationToken.None);
        }
        return most;
    }
}
