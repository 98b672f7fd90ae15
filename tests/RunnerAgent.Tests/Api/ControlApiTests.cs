using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LlamaAspire.RunnerAgent.Tests.Support;
using LlamaAspire.TestSupport;
using LlamaAspire.TestSupport.Processes;

namespace LlamaAspire.RunnerAgent.Tests.Api;

/// <summary>Load, unload and unload-all over real Kestrel, with the real llama-server on tiny models.</summary>
public sealed class ControlApiTests(ITestOutputHelper output)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Load_KnownModel_ReturnsReadyRunnerAndListsIt()
    {
        using var dir = new TempDirectory("control-load");
        await using (var harness = await RegistryHarness.StartAsync(output, 1, Models.Chat(dir, "org/tiny-a")))
        await using (var host = await AgentHost.StartAsync(harness, Ct))
        {
            using var response = await PostAsync(host, "/runners/org/tiny-a/load");
            var runner = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
            var list = await host.Http.GetFromJsonAsync<JsonElement>(new Uri("/runners", UriKind.Relative), Ct);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(("org/tiny-a", "ready"), (runner.GetProperty("model").GetString(), runner.GetProperty("state").GetString()));
            Assert.Equal(runner.GetProperty("pid").GetInt32(), Assert.Single(list.EnumerateArray()).GetProperty("pid").GetInt32());
        }

        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task Unload_LoadedModel_StopsItsProcessThenReports404()
    {
        using var dir = new TempDirectory("control-unload");
        await using (var harness = await RegistryHarness.StartAsync(output, 1, Models.Chat(dir, "org/tiny-a")))
        await using (var host = await AgentHost.StartAsync(harness, Ct))
        {
            var pid = (await harness.StartReadyAsync("org/tiny-a", Ct)).Pid!.Value;

            using var first = await PostAsync(host, "/runners/org/tiny-a/unload");
            using var second = await PostAsync(host, "/runners/org/tiny-a/unload");

            Assert.Equal((HttpStatusCode.NoContent, HttpStatusCode.NotFound), (first.StatusCode, second.StatusCode));
            await ProcessAssert.ExitedAsync(pid);
            Assert.Empty(await harness.Registry.ListAsync(Ct));
        }

        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task UnloadAll_TwoRunners_StopsBoth()
    {
        using var dir = new TempDirectory("control-unload-all");
        await using (var harness = await RegistryHarness.StartAsync(output, 2, Models.Chat(dir, "tiny-a"), Models.Chat(dir, "tiny-b", seed: 2)))
        await using (var host = await AgentHost.StartAsync(harness, Ct))
        {
            var pids = new[] { (await harness.StartReadyAsync("tiny-a", Ct)).Pid!.Value, (await harness.StartReadyAsync("tiny-b", Ct)).Pid!.Value };

            using var response = await PostAsync(host, "/runners/unload-all");

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(2, (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("unloaded").GetInt32());
            await ProcessAssert.ExitedAsync(pids, TimeSpan.FromSeconds(10));
            Assert.Empty(await harness.Registry.ListAsync(Ct));
        }

        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task Load_UnknownModel_Returns404WithError()
    {
        using var dir = new TempDirectory("control-unknown");
        await using var harness = await RegistryHarness.StartAsync(output, 1, Models.Chat(dir, "tiny-a"));
        await using var host = await AgentHost.StartAsync(harness, Ct);

        using var response = await PostAsync(host, "/runners/no-such-model/load");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("model 'no-such-model' not found", await response.ErrorAsync(Ct));
    }

    [Fact]
    public async Task Load_NoLlamaServer_Returns502WithReason()
    {
        using var dir = new TempDirectory("control-502");
        await using var harness = await RegistryHarness.StartAsync(output, dir.Combine("no-such-llama-server"), 1, Models.Chat(dir, "tiny-a"));
        await using var host = await AgentHost.StartAsync(harness, Ct);

        using var response = await PostAsync(host, "/runners/tiny-a/load");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("llama-server", await response.ErrorAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Action_Unknown_Returns404WithError()
    {
        using var dir = new TempDirectory("control-unknown-action");
        await using var harness = await RegistryHarness.StartAsync(output, 1, Models.Chat(dir, "tiny-a"));
        await using var host = await AgentHost.StartAsync(harness, Ct);

        using var response = await PostAsync(host, "/runners/tiny-a/explode");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("no action 'explode' for a runner", await response.ErrorAsync(Ct));
    }

    [Theory]
    [InlineData("POST", "/runners/..%2Fsecret/load")]
    [InlineData("POST", "/runners/%2E%2E%2Fsecret/load")]
    [InlineData("POST", "/runners/org%2F..%2F..%2Fsecret/unload")]
    [InlineData("POST", "/runners/%2Fetc%2Fpasswd/load")]
    [InlineData("POST", "/runners/a%5Cb/load")]
    [InlineData("POST", "/runners/C:%5Cmodels%5Cx/load")]
    [InlineData("POST", "/runners/a%2500b/load")]
    [InlineData("GET", "/runners/..%2F..%2Fetc%2Fpasswd/logs")]
    [InlineData("DELETE", "/runners/..%2Fsecret")]
    public async Task ModelName_PathInUrl_Returns400WithError(string method, string path)
    {
        using var dir = new TempDirectory("control-path-url");
        await using var harness = await RegistryHarness.StartAsync(output, 1, Models.Chat(dir, "tiny-a"));
        await using var host = await AgentHost.StartAsync(harness, Ct);

        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        using var response = await host.Http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("a model name cannot", await response.ErrorAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModelName_EncodedNulInUrl_Returns400()
    {
        using var dir = new TempDirectory("control-nul-url");
        await using var harness = await RegistryHarness.StartAsync(output, 1, Models.Chat(dir, "tiny-a"));
        await using var host = await AgentHost.StartAsync(harness, Ct);

        // Kestrel refuses a decoded NUL in the path itself, before routing, so there is no JSON body to read.
        using var response = await PostAsync(host, "/runners/a%00b/load");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("../secret")]
    [InlineData("org/../../secret")]
    [InlineData("/etc/passwd")]
    [InlineData("a\\b")]
    [InlineData("a\0b")]
    [InlineData("%2E%2E%2Fsecret")]
    public async Task ModelName_PathInBody_Returns400WithError(string model)
    {
        using var dir = new TempDirectory("control-path-body");
        await using var harness = await RegistryHarness.StartAsync(output, 1, Models.Chat(dir, "tiny-a"));
        await using var host = await AgentHost.StartAsync(harness, Ct);

        using var response = await host.Http.PostAsJsonAsync(new Uri("/runners", UriKind.Relative), new { model }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("a model name cannot", await response.ErrorAsync(Ct), StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> PostAsync(AgentHost host, string path) =>
        host.Http.PostAsync(new Uri(path, UriKind.Relative), null, Ct);
}
