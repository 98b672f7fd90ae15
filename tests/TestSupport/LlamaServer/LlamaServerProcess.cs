using System.Diagnostics;
using System.Net;
using LlamaAspire.TestSupport.Network;

namespace LlamaAspire.TestSupport.LlamaServer;

/// <summary>
/// A real llama-server child for a test: captures its output, waits for /health, and kills it
/// (with any children) on dispose.
/// </summary>
public sealed class LlamaServerProcess : IAsyncDisposable
{
    public static readonly TimeSpan DefaultStartTimeout = TimeSpan.FromSeconds(60);

    private static readonly HttpClient Probe = new() { Timeout = TimeSpan.FromSeconds(2) };

    private readonly List<string> _stdout = [];
    private readonly List<string> _stderr = [];

    private LlamaServerProcess(Process process, int port, string host, IReadOnlyList<string> arguments)
    {
        Process = process;
        Port = port;
        Arguments = arguments;
        BaseAddress = new Uri($"http://{host}:{port}/");
    }

    public Process Process { get; }

    public int Pid => Process.Id;

    public int Port { get; }

    public Uri BaseAddress { get; }

    public IReadOnlyList<string> Arguments { get; }

    public bool HasExited => Process.HasExited;

    public StreamWriter StandardInput => Process.StandardInput;

    public IReadOnlyList<string> StandardOutputLines
    {
        get { lock (_stdout) return [.. _stdout]; }
    }

    public IReadOnlyList<string> StandardErrorLines
    {
        get { lock (_stderr) return [.. _stderr]; }
    }

    /// <summary>Starts the process without waiting for it to be ready.</summary>
    public static async Task<LlamaServerProcess> StartAsync(LlamaServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var binary = options.BinaryPath ?? await LlamaServerBinary.GetPathAsync().WaitAsync(cancellationToken);
        var port = options.Port ?? FreePort.Next();
        var arguments = options.BuildArguments(port);
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in arguments) start.ArgumentList.Add(arg);
        foreach (var (name, value) in options.Environment)
        {
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start };
        var server = new LlamaServerProcess(process, port, options.Host, arguments);
        process.OutputDataReceived += (_, e) => Append(server._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(server._stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Starts the process and waits for /health 200; a lost race for a free port is retried.</summary>
    public static async Task<LlamaServerProcess> StartHealthyAsync(LlamaServerOptions options, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        for (var attempt = 1; ; attempt++)
        {
            var server = await StartAsync(options, cancellationToken);
            try
            {
                await server.WaitForHealthyAsync(timeout, cancellationToken);
                return server;
            }
            catch (InvalidOperationException) when (options.Port is null && attempt < 3 && server.LostPortRace())
            {
                await server.DisposeAsync();
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>Polls GET /health until 200; throws with the log tail if the process exits first.</summary>
    public async Task WaitForHealthyAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout ?? DefaultStartTimeout);
        var health = new Uri(BaseAddress, "health");
        while (true)
        {
            if (Process.HasExited) throw new InvalidOperationException($"llama-server exited with {Process.ExitCode} before it was healthy.{Environment.NewLine}{StderrTail()}");
            try
            {
                using var response = await Probe.GetAsync(health, cts.Token);
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"llama-server was not healthy in time.{Environment.NewLine}{StderrTail()}");
            }

            await Task.Delay(20, cts.Token);
        }
    }

    /// <summary>Waits for a stdout line matching <paramref name="predicate"/> (earlier lines count too).</summary>
    public async Task<string> WaitForOutputLineAsync(Func<string, bool> predicate, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (StandardOutputLines.FirstOrDefault(predicate) is { } line) return line;
            if (deadline.Elapsed > timeout) throw new TimeoutException($"No matching stdout line in {timeout}.{Environment.NewLine}{StderrTail()}");
            await Task.Delay(10, cancellationToken);
        }
    }

    /// <summary>True if the process exited within <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await Process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public string StderrTail(int lines = 20) => string.Join(Environment.NewLine, StandardErrorLines.TakeLast(lines));

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!Process.HasExited) Process.Kill(entireProcessTree: true);
            await WaitForExitAsync(TimeSpan.FromSeconds(10));
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }
        finally
        {
            Process.Dispose();
        }
    }

    private bool LostPortRace() => StandardErrorLines.Any(line => line.Contains("couldn't bind", StringComparison.Ordinal));

    private static void Append(List<string> lines, string? line)
    {
        if (line is null) return;
        lock (lines) lines.Add(line);
    }
}
