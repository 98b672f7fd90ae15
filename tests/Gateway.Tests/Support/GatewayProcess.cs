using System.Diagnostics;
using System.Globalization;
using System.Net;
using LlamaAspire.TestSupport.Network;
using LlamaAspire.TestSupport.Processes;

namespace LlamaAspire.Gateway.Tests.Support;

/// <summary>
/// The built Gateway as a real process (<c>dotnet LlamaAspire.Gateway.dll</c>) on four free loopback ports,
/// with one HttpClient per listener. Dispose stops it and asserts that it and its children are gone.
/// </summary>
internal sealed class GatewayProcess : IAsyncDisposable
{
    public const string Dll = "LlamaAspire.Gateway.dll";
    public static readonly string[] Listeners = ["http", "ollama", "lmstudio", "openai"];
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly List<string> _output = [];
    private readonly Dictionary<string, HttpClient> _clients;

    private GatewayProcess(Process process, IReadOnlyDictionary<string, int> ports)
    {
        _process = process;
        _clients = ports.ToDictionary(p => p.Key, p => new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{p.Value}") });
        Ports = ports;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public IReadOnlyDictionary<string, int> Ports { get; }

    public int Pid => _process.Id;

    /// <summary>The internal port (health probes); not an API.</summary>
    public HttpClient Http => _clients["http"];

    public HttpClient Ollama => _clients["ollama"];

    public HttpClient LmStudio => _clients["lmstudio"];

    public HttpClient OpenAi => _clients["openai"];

    public string Output
    {
        get { lock (_output) return string.Join(Environment.NewLine, _output); }
    }

    /// <summary>Starts the Gateway against <paramref name="metadataUrl"/> and waits for /health 200; a lost port race is retried.</summary>
    public static Task<GatewayProcess> StartHealthyAsync(Uri metadataUrl, CancellationToken ct) =>
        StartHealthyAsync(metadataUrl, runnerAgentUrl: null, new Dictionary<string, string>(), ct);

    /// <summary>As the other overload, with a RunnerAgent and extra environment (configuration) for the Gateway.</summary>
    public static async Task<GatewayProcess> StartHealthyAsync(
        Uri metadataUrl, Uri? runnerAgentUrl, IReadOnlyDictionary<string, string> environment, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var gateway = Start(metadataUrl, runnerAgentUrl, environment);
            try
            {
                await gateway.WaitForHealthyAsync(ct);
                return gateway;
            }
            catch (InvalidOperationException) when (attempt < 3 && gateway.Output.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                await gateway.DisposeAsync();
            }
            catch
            {
                await gateway.DisposeAsync();
                throw;
            }
        }
    }

    private static GatewayProcess Start(Uri metadataUrl, Uri? runnerAgentUrl, IReadOnlyDictionary<string, string> environment)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, Dll);
        if (!File.Exists(dll)) throw new FileNotFoundException("The Gateway is not copied next to the tests; is it a ProjectReference?", dll);

        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll },
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Nothing inherited may pick other ports, services or exporters for the child.
        foreach (var name in start.Environment.Keys.Where(IsInheritedOverride).ToList()) start.Environment.Remove(name);

        var ports = Listeners.ToDictionary(name => name, _ => FreePort.Next());
        foreach (var (name, port) in ports) start.Environment[$"Kestrel__Endpoints__{name}__Url"] = $"http://127.0.0.1:{port}";
        start.Environment["services__metadata__http__0"] = metadataUrl.ToString().TrimEnd('/');
        if (runnerAgentUrl is not null) start.Environment["services__runneragent__http__0"] = runnerAgentUrl.ToString().TrimEnd('/');
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        // If the test host dies, our end of stdin closes and the Gateway stops by itself.
        start.Environment["LlamaAspire__ExitOnStdinClose"] = "true";
        foreach (var (name, value) in environment) start.Environment[name] = value;

        return new GatewayProcess(Process.Start(start)!, ports);
    }

    private static bool IsInheritedOverride(string name) =>
        name.StartsWith("services__", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("Kestrel__", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("OTEL_", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("LlamaAspire__", StringComparison.OrdinalIgnoreCase)
        || name is "ASPNETCORE_URLS" or "DOTNET_URLS" or "ASPNETCORE_HTTP_PORTS" or "ASPNETCORE_HTTPS_PORTS";

    private async Task WaitForHealthyAsync(CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(StartTimeout);
        var health = new Uri("/health", UriKind.Relative);
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"The Gateway exited with {_process.ExitCode} before it was healthy:{Environment.NewLine}{Output}");
            try
            {
                using var response = await Http.GetAsync(health, cts.Token);
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new TimeoutException($"The Gateway was not healthy within {StartTimeout}:{Environment.NewLine}{Output}");
            }

            await Task.Delay(50, cts.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients.Values) client.Dispose();
        var pid = _process.Id;
        List<int> tree = [pid, .. ProcessTable.DescendantsOf(pid).Select(p => p.Pid)];
        try
        {
            // Stop as the AppHost does (stdin closes); kill only if that does not work.
            CloseStandardInput();
            using var graceful = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(graceful.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(CancellationToken.None);
            }
        }
        finally
        {
            _process.Dispose();
        }

        await ProcessAssert.ExitedAsync(tree);
    }

    private void CloseStandardInput()
    {
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The process is already gone.
        }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.Add(line);
    }

    public override string ToString() =>
        string.Join(", ", Ports.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key}={p.Value}")));
}
