using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using LlamaAspire.TestSupport.LlamaServer;

namespace LlamaAspire.TestSupport.Tests.FakeLlamaServer;

/// <summary>Starts the fake llama-server the way the RunnerAgent does, with its model path under the test's temp dir as the orphan marker.</summary>
internal static class FakeServer
{
    public static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static Task<LlamaServerProcess> StartAsync(TempDirectory dir, Dictionary<string, string?>? environment = null, int? port = null, IReadOnlyList<string>? extraArguments = null) =>
        LlamaServerProcess.StartAsync(new LlamaServerOptions
        {
            BinaryPath = FakeLlamaServerBinary.Path,
            ModelPath = dir.Combine("fake.gguf"),
            Port = port,
            ExtraArguments = extraArguments ?? ["--alias", "fake-model"],
            Environment = environment ?? [],
        }, Ct);

    public static async Task<LlamaServerProcess> StartHealthyAsync(TempDirectory dir, Dictionary<string, string?>? environment = null, IReadOnlyList<string>? extraArguments = null)
    {
        var server = await StartAsync(dir, environment, extraArguments: extraArguments);
        await server.WaitForHealthyAsync(cancellationToken: Ct);
        return server;
    }

    public static async Task<string> WaitForStderrLineAsync(LlamaServerProcess server, string contains)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (server.StandardErrorLines.FirstOrDefault(l => l.Contains(contains, StringComparison.Ordinal)) is { } line) return line;
            if (deadline.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException($"No stderr line with '{contains}':{Environment.NewLine}{server.StderrTail()}");
            await Task.Delay(10, Ct);
        }
    }

    public static Task<HttpResponseMessage> PostAsync(LlamaServerProcess server, string path, object body) =>
        Http.SendAsync(new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseAddress, path)) { Content = JsonContent.Create(body) },
            HttpCompletionOption.ResponseHeadersRead, Ct);

    /// <summary>The data payloads of an SSE body, read to its end.</summary>
    public static async Task<List<string>> ReadEventsAsync(HttpResponseMessage response, List<string>? into = null)
    {
        var events = into ?? [];
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));
        while (await reader.ReadLineAsync(Ct) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal)) events.Add(line["data: ".Length..]);
        }
        return events;
    }

    public static async Task SignalAsync(int pid, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + signal, pid.ToString(CultureInfo.InvariantCulture) } })!;
        await kill.WaitForExitAsync(Ct);
        Assert.Equal(0, kill.ExitCode);
    }

    public static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement;
}
