using System.Net.Http.Json;
using System.Text.Json;
using LlamaAspire.AppHost.Hosting;
using LlamaAspire.AppHost.Hosting.Testing;
using LlamaAspire.TestSupport;
using LlamaAspire.TestSupport.LlamaServer;
using LlamaAspire.TestSupport.Models;

namespace LlamaAspire.Gateway.Benchmarks;

/// <summary>The whole application on a tiny chat model, loaded and kept loaded, with clients for each way in.</summary>
internal sealed class Stack : IAsyncDisposable
{
    private readonly TempDirectory _home;
    private readonly DistributedApplication _app;

    private Stack(TempDirectory home, DistributedApplication app, HttpClient openAi, HttpClient ollama, HttpClient llamaServer)
    {
        _home = home;
        _app = app;
        OpenAi = openAi;
        Ollama = ollama;
        LlamaServer = llamaServer;
    }

    public HttpClient OpenAi { get; }

    public HttpClient Ollama { get; }

    public HttpClient LlamaServer { get; }

    public static async Task<Stack> StartAsync()
    {
        var home = new TempDirectory("gateway-bench");
        var models = Directory.CreateDirectory(Path.Combine(home.Path, "models")).FullName;
        TinyModels.WriteChatModel(Path.Combine(models, "bench-chat.gguf"));
        var builder = await DistributedApplicationTestingBuilder.CreateAsync(
            ["--home", home.Path, "--models-dir", models, "--llama-server", await LlamaServerBinary.GetPathAsync(), "--discover-stores", "false", "--keep-alive", "-1"]);
        var app = await builder.BuildAsync();
        await app.StartAsync();
        foreach (var service in new[] { "metadata", "runneragent", "gateway" }) await app.ResourceNotifications.WaitForResourceHealthyAsync(service, CancellationToken.None);

        using var agent = app.CreateHttpClient("runneragent");
        using var loaded = await agent.PostAsync("/runners/bench-chat/load", null);
        loaded.EnsureSuccessStatusCode();
        var endpoint = (await loaded.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("endpoint").GetString()!;
        var openAi = app.CreateHttpClient("gateway", "openai");
        openAi.Timeout = Timeout.InfiniteTimeSpan;
        var ollama = app.CreateHttpClient("gateway", "ollama");
        ollama.Timeout = Timeout.InfiniteTimeSpan;
        return new Stack(home, app, openAi, ollama, new HttpClient { BaseAddress = new Uri(endpoint), Timeout = Timeout.InfiniteTimeSpan });
    }

    /// <summary>Median ms of acquiring and releasing a lease over HTTP, with a plain HttpClient: the agent's share of the lease wait.</summary>
    public async Task<double> MeasureLeasesAsync(int iterations)
    {
        using var agent = _app.CreateHttpClient("runneragent");
        var times = new List<double>();
        for (var i = 0; i < iterations; i++)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            using var acquired = await agent.PostAsJsonAsync("/leases", new { model = "bench-chat" });
            var id = (await acquired.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("leaseId").GetGuid();
            times.Add(clock.Elapsed.TotalMilliseconds);
            using var released = await agent.DeleteAsync($"/leases/{id}");
        }
        return times.Order().ElementAt(times.Count / 2);
    }

    public async ValueTask DisposeAsync()
    {
        OpenAi.Dispose();
        Ollama.Dispose();
        LlamaServer.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _home.Dispose();
    }
}
