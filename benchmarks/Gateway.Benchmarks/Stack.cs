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

    /// <summary>llama-server with its default threads (2 here): every cycle the gateway spends slows generation.</summary>
    public const string ContendedModel = "bench-chat";

    /// <summary>llama-server with -t 1, so a core stays free, as generation on a GPU leaves the CPU.</summary>
    public const string GpuLikeModel = "bench-chat-t1";

    private readonly Dictionary<string, HttpClient> _llamaServers;

    private Stack(TempDirectory home, DistributedApplication app, HttpClient openAi, HttpClient ollama, HttpClient lmStudio, Dictionary<string, HttpClient> llamaServers)
    {
        _home = home;
        _app = app;
        OpenAi = openAi;
        Ollama = ollama;
        LmStudio = lmStudio;
        _llamaServers = llamaServers;
    }

    public HttpClient LmStudio { get; }

    /// <summary>The model's own llama-server, for the direct arm.</summary>
    public HttpClient LlamaServer(string model) => _llamaServers[model];

    public HttpClient OpenAi { get; }

    public HttpClient Ollama { get; }


    public static async Task<Stack> StartAsync()
    {
        var home = new TempDirectory("gateway-bench");
        var models = Directory.CreateDirectory(Path.Combine(home.Path, "models")).FullName;
        TinyModels.WriteChatModel(Path.Combine(models, ContendedModel + ".gguf"));
        TinyModels.WriteChatModel(Path.Combine(models, GpuLikeModel + ".gguf"));
        var builder = await DistributedApplicationTestingBuilder.CreateAsync(
            ["--home", home.Path, "--models-dir", models, "--llama-server", await LlamaServerBinary.GetPathAsync(), "--discover-stores", "false", "--keep-alive", "-1",
             "--max-runners", "2"]);
        // The GPU-like regime: llama-server on one thread leaves a core to the gateway and the client, as on a GPU host.
        builder.Builder.Resources.Single(r => r.Name == "runneragent").EnvironmentCallbacks.Add(env =>
        {
            env["Runner__Models__0__Model"] = GpuLikeModel;
            env["Runner__Models__0__Args__0"] = "-t";
            env["Runner__Models__0__Args__1"] = "1";
        });
        var variant = AddVariantGateway(builder.Builder);
        var app = await builder.BuildAsync();
        await app.StartAsync();
        string[] services = variant is null ? ["metadata", "runneragent", "gateway"] : ["metadata", "runneragent", "gateway", variant.Name];
        foreach (var service in services) await app.ResourceNotifications.WaitForResourceHealthyAsync(service, CancellationToken.None);

        using var agent = app.CreateHttpClient("runneragent");
        var endpoints = new Dictionary<string, HttpClient>();
        foreach (var model in (string[])[ContendedModel, GpuLikeModel])
        {
            using var loaded = await agent.PostAsync($"/runners/{model}/load", null);
            loaded.EnsureSuccessStatusCode();
            var endpoint = (await loaded.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("endpoint").GetString()!;
            endpoints[model] = new HttpClient { BaseAddress = new Uri(endpoint), Timeout = Timeout.InfiniteTimeSpan };
        }
        var openAi = app.CreateHttpClient("gateway", "openai");
        openAi.Timeout = Timeout.InfiniteTimeSpan;
        var ollama = app.CreateHttpClient("gateway", "ollama");
        ollama.Timeout = Timeout.InfiniteTimeSpan;
        var lmStudio = app.CreateHttpClient("gateway", "lmstudio");
        lmStudio.Timeout = Timeout.InfiniteTimeSpan;
        return new Stack(home, app, openAi, ollama, lmStudio, endpoints)
        {
            Variant = variant is null ? null : (Client(app, variant, "openai"), Client(app, variant, "ollama")),
        };
    }

    /// <summary>
    /// A second Gateway beside the first, on the same services, for comparing a setting side by side in one run:
    /// every <c>BENCH_B_X=Y</c> in this process's environment reaches only the second one, as <c>X=Y</c>.
    /// </summary>
    public (HttpClient OpenAi, HttpClient Ollama)? Variant { get; private init; }

    private static ProjectResource? AddVariantGateway(DistributedApplicationBuilder builder)
    {
        const string Prefix = "BENCH_B_";
        var settings = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .Where(e => ((string)e.Key).StartsWith(Prefix, StringComparison.Ordinal))
            .ToDictionary(e => ((string)e.Key)[Prefix.Length..], e => (string)e.Value!);
        if (settings.Count == 0) return null;
        var gateway = builder.Resources.Single(r => r.Name == "gateway");
        var variant = builder.AddProject<LlamaAspire.AppHost.Projects.Gateway>(VariantName).WithHttpEndpoint().WithHttpEndpoint(name: "ollama").WithHttpEndpoint(name: "openai").WithHttpEndpoint(name: "lmstudio");
        variant.Resource.References.AddRange(gateway.References);
        variant.Resource.WaitsFor.AddRange(gateway.WaitsFor);
        variant.Resource.EnvironmentCallbacks.AddRange(gateway.EnvironmentCallbacks);
        variant.Resource.EnvironmentCallbacks.Add(env =>
        {
            foreach (var (key, value) in settings) env[key] = value;
        });
        variant.Resource.HealthCheckPath = gateway.HealthCheckPath;
        return variant.Resource;
    }

    private static HttpClient Client(DistributedApplication app, ProjectResource resource, string endpoint)
    {
        var client = app.CreateHttpClient(resource.Name, endpoint);
        client.Timeout = Timeout.InfiniteTimeSpan;
        return client;
    }

    /// <summary>CPU time the Gateway process (or the variant) has used so far, user and kernel, and its threads' context switches.</summary>
    public ProcessUsage GatewayUsage(bool variant = false) => Usage(variant ? VariantName : "gateway");

    /// <summary>The services besides the Gateway, whose CPU competes with llama-server's on a small machine.</summary>
    public static IReadOnlyList<string> OtherServices { get; } = ["runneragent", "metadata"];

    public ProcessUsage Usage(string service) =>
        (_monitors.TryGetValue(service, out var monitor) ? monitor : _monitors[service] = new ProcessMonitor(_app.GetProcessId(service)!.Value)).Usage();

    private readonly Dictionary<string, ProcessMonitor> _monitors = [];

    private const string VariantName = "gateway-b";

    /// <summary>Median ms of acquiring and releasing a lease over HTTP, with a plain HttpClient: the agent's share of the lease wait.</summary>
    public async Task<double> MeasureLeasesAsync(int iterations)
    {
        using var agent = _app.CreateHttpClient("runneragent");
        var times = new List<double>();
        for (var i = 0; i < iterations; i++)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            using var acquired = await agent.PostAsJsonAsync("/leases", new { model = ContendedModel });
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
        LmStudio.Dispose();
        Variant?.OpenAi.Dispose();
        Variant?.Ollama.Dispose();
        foreach (var client in _llamaServers.Values) client.Dispose();
        foreach (var monitor in _monitors.Values) await monitor.DisposeAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _home.Dispose();
    }
}
