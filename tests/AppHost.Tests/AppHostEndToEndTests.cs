using System.Net.Http.Json;
using System.Text.Json;
using LlamaAspire.AppHost.Hosting;
using LlamaAspire.AppHost.Hosting.Testing;
using LlamaAspire.TestSupport;
using LlamaAspire.TestSupport.LlamaServer;
using LlamaAspire.TestSupport.Models;
using LlamaAspire.TestSupport.Network;
using LlamaAspire.TestSupport.Processes;

namespace LlamaAspire.AppHost.Tests;

/// <summary>The whole application through the test entry: four real services, a real llama-server, generated models.</summary>
public sealed class AppHostEndToEndTests : IDisposable
{
    private static readonly string[] Services = ["metadata", "runneragent", "gateway", "dashboard"];
    private readonly TempDirectory _home = new();
    private readonly string _models;

    public AppHostEndToEndTests()
    {
        _models = Directory.CreateDirectory(Path.Combine(_home.Path, "models")).FullName;
        TinyModels.WriteChatModel(Path.Combine(_models, "tiny-chat.gguf"));
        TinyModels.WriteEmbeddingModel(Path.Combine(_models, "embed", "tiny-embed.gguf"));
    }

    public void Dispose() => _home.Dispose();

    [Fact(Timeout = 240_000)]
    public async Task StartAsync_TwoGeneratedModels_AllHealthyAndLlamaServerChatsThroughRunnerAgent()
    {
        var ct = TestContext.Current.CancellationToken;
        var llamaServer = await LlamaServerBinary.GetPathAsync();
        File.WriteAllText(Path.Combine(_home.Path, "config.json"), """
            { "models": [ { "model": "tiny-chat", "contextLength": 2048, "parallel": 2, "args": ["--threads", "1"] } ] }
            """);
        var appHost = await DistributedApplicationTestingBuilder.CreateAsync(
            ["--home", _home.Path, "--models-dir", _models, "--llama-server", llamaServer, "--discover-stores", "false"], ct: ct);
        await using var app = await appHost.BuildAsync(ct);

        await app.StartAsync(ct);
        foreach (var service in Services) await app.ResourceNotifications.WaitForResourceHealthyAsync(service, ct);
        var pids = Services.Select(s => app.GetProcessId(s)!.Value).ToList();

        using var ollama = app.CreateHttpClient("gateway", "ollama");
        Assert.Equal("Ollama is running", await ollama.GetStringAsync("/", ct));

        using var lmStudio = app.CreateHttpClient("gateway", "lmstudio");
        using var models = JsonDocument.Parse(await lmStudio.GetStringAsync("/v1/models", ct));
        Assert.Equal(["tiny-chat", "tiny-embed"], models.RootElement.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()));

        using var runnerAgent = app.CreateHttpClient("runneragent");
        using var leased = await runnerAgent.PostAsJsonAsync("/leases", new { model = "tiny-chat" }, ct);
        Assert.Equal(System.Net.HttpStatusCode.OK, leased.StatusCode);
        var lease = await leased.Content.ReadFromJsonAsync<JsonElement>(ct);
        var runner = (await runnerAgent.GetFromJsonAsync<JsonElement>("/runners", ct)).EnumerateArray().Single();
        Assert.Equal(("tiny-chat", "ready", 1), (runner.GetProperty("model").GetString(), runner.GetProperty("state").GetString(), runner.GetProperty("inFlight").GetInt32()));
        Assert.Equal((2048, 2), (runner.GetProperty("contextLength").GetInt32(), runner.GetProperty("parallel").GetInt32()));   // config.json's per-model settings
        Assert.Contains("--threads 1", ProcessTable.Snapshot().Single(p => p.Pid == runner.GetProperty("pid").GetInt32()).CommandLine, StringComparison.Ordinal);
        pids.Add(runner.GetProperty("pid").GetInt32());

        using var llama = new HttpClient { BaseAddress = new Uri(lease.GetProperty("endpoint").GetString()!) };
        using var chat = await llama.PostAsJsonAsync("/v1/chat/completions", new
        {
            model = "tiny-chat",
            messages = new[] { new { role = "user", content = "Hello" } },
            max_tokens = 8,
        }, ct);
        var completion = await chat.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.True(chat.IsSuccessStatusCode, completion.ToString());
        Assert.True(completion.GetProperty("usage").GetProperty("completion_tokens").GetInt32() > 0);
        using var released = await runnerAgent.DeleteAsync($"/leases/{lease.GetProperty("leaseId").GetGuid()}", ct);
        Assert.Equal(System.Net.HttpStatusCode.NoContent, released.StatusCode);

        using var dashboard = app.CreateHttpClient("dashboard");
        var page = await dashboard.GetStringAsync("/", ct);
        Assert.Contains("tiny-chat", page, StringComparison.Ordinal);
        Assert.Contains("tiny-embed", page, StringComparison.Ordinal);
        Assert.Contains("ctx 2048", page, StringComparison.Ordinal);
        Assert.Contains("0 in flight", page, StringComparison.Ordinal);

        await app.StopAsync();

        foreach (var service in Services)
        {
            Assert.True(app.ResourceNotifications.TryGetCurrentState(service, out var state));
            Assert.Equal(KnownResourceStates.Exited, state!.State);
        }
        await ProcessAssert.ExitedAsync(pids, TimeSpan.FromSeconds(10));
    }

    [Fact(Timeout = 120_000)]
    public async Task StartAsync_UnknownModelRequested_RunnerAgentAnswers404()
    {
        var ct = TestContext.Current.CancellationToken;
        var appHost = await DistributedApplicationTestingBuilder.CreateAsync(["--home", _home.Path, "--models-dir", _models, "--discover-stores", "false"], ct: ct);
        await using var app = await appHost.BuildAsync(ct);
        await app.StartAsync(ct);
        var pids = Services.Select(s => app.GetProcessId(s)!.Value).ToList();

        using var runnerAgent = app.CreateHttpClient("runneragent");
        using var response = await runnerAgent.PostAsJsonAsync("/runners", new { model = "no-such-model" }, ct);

        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("model 'no-such-model' not found", (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("error").GetString());
        await app.StopAsync();
        await ProcessAssert.ExitedAsync(pids, TimeSpan.FromSeconds(10));
    }
}
