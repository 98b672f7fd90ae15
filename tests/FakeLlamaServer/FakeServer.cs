using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace LlamaAspire.FakeLlamaServer;

/// <summary>
/// Binds first, answers 503 while "loading", then serves, as llama-server does. Raw sockets rather than Kestrel:
/// it starts in a fraction of the time, and it is launched once per test.
/// </summary>
public sealed class FakeServer(FakeOptions options, FakeFaults faults)
{
    private readonly TaskCompletionSource<int> _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _loaded;

    public async Task<int> RunAsync()
    {
        Console.Error.WriteLine("0.00.000.001 I srv  llama_server: initializing ...");
        Signals.Register(faults, () => _exit.TrySetResult(0));
        var listener = new TcpListener(ParseHost(options.Host), options.Port);
        try
        {
            listener.Start();
        }
        catch (SocketException)
        {
            Console.Error.WriteLine($"srv  llama_server: couldn't bind HTTP server socket, hostname: {options.Host}, port: {options.Port}");
            Console.Error.WriteLine("srv  llama_server: exiting due to HTTP server error");
            return 1;
        }

        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var endpoints = new Endpoints(options, faults, () => _loaded);
        _ = AcceptAsync(listener, endpoints);
        if (faults.ListenEarly)
            Console.Error.WriteLine($"main: HTTP server is listening, hostname: {options.Host}, port: {port}, http threads: 4");

        var router = new RouterChild(faults, code => _exit.TrySetResult(code));
        var load = LoadAsync(router, endpoints, port);
        var done = await Task.WhenAny(load, _exit.Task);
        if (done == load && await load is { } crashCode) return crashCode;
        var exitCode = await _exit.Task;
        listener.Stop();
        return exitCode;
    }

    /// <summary>Returns an exit code when loading "fails".</summary>
    private async Task<int?> LoadAsync(RouterChild router, Endpoints endpoints, int port)
    {
        Console.Error.WriteLine($"srv    load_model: loading model '{options.ModelPath}'");
        router.Loading(0);
        const int steps = 4;
        for (var step = 1; step <= steps; step++)
        {
            if (faults.LoadDelayMs > 0) await Task.Delay(faults.LoadDelayMs / steps);
            if (faults.CrashDuringLoadExitCode is { } code && step == steps / 2)
            {
                Console.Error.WriteLine("llama_model_load: error loading model: fake: FAKE_LLAMA_CRASH_DURING_LOAD");
                Console.Error.WriteLine("srv  llama_server: exiting due to model loading error");
                return code;
            }
            if (step < steps) router.Loading((double)step / steps);
        }

        router.Loading(1);
        _loaded = true;
        Console.Error.WriteLine("srv  llama_server: model loaded");
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"srv  llama_server: listening on http://{options.Host}:{port}"));
        router.Ready(endpoints.WriteModelEntry);
        router.WatchStdin();
        return null;
    }

    private static async Task AcceptAsync(TcpListener listener, Endpoints endpoints)
    {
        while (true)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;   // stopped
            }
            _ = ServeAsync(client, endpoints);
        }
    }

    private static async Task ServeAsync(TcpClient client, Endpoints endpoints)
    {
        using (client)
        {
            client.NoDelay = true;
            var stream = client.GetStream();
            var reader = new BufferedReader(stream);
            try
            {
                while (await HttpRequest.ReadAsync(reader, CancellationToken.None) is { } request)
                {
                    await endpoints.HandleAsync(request, stream, CancellationToken.None);
                    if (!request.KeepAlive) return;
                }
            }
            catch (Exception e) when (e is IOException or SocketException or EndOfStreamException or FormatException)
            {
                // The client went away or sent garbage; drop the connection, as llama-server would.
            }
        }
    }

    private static IPAddress ParseHost(string host) =>
        host == "localhost" ? IPAddress.Loopback : IPAddress.Parse(host);
}
