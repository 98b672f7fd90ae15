using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LlamaAspire.TestSupport.LlamaServer;
using LlamaAspire.TestSupport.Models;
using LlamaAspire.TestSupport.Processes;

namespace LlamaAspire.TestSupport.Tests.LlamaServer;

/// <summary>The tiny models against the real llama-server binary (located or built on first use).</summary>
public sealed class RealLlamaServerTests(ITestOutputHelper output)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TinyModels_ChatModel_LoadsInRealLlamaServer()
    {
        using var dir = new TempDirectory("chat");
        var model = TinyModels.WriteChatModel(dir.Combine("tiny-chat.gguf"));
        int pid;

        var started = Stopwatch.StartNew();
        await using (var server = await LlamaServerProcess.StartHealthyAsync(new() { ModelPath = model }, cancellationToken: Ct))
        {
            pid = server.Pid;
            output.WriteLine($"spawn to /health 200: {started.ElapsedMilliseconds} ms");
            using var http = new HttpClient { BaseAddress = server.BaseAddress };

            using var response = await http.PostAsJsonAsync("v1/chat/completions", ChatRequest(16, stream: false), Ct);
            var body = await response.Content.ReadAsStringAsync(Ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, body);
            var json = JsonNode.Parse(body)!;
            var content = json["choices"]![0]!["message"]!["content"]!.GetValue<string>();
            output.WriteLine($"content: {content}");
            Assert.False(string.IsNullOrEmpty(content));
            Assert.True(json["usage"]!["completion_tokens"]!.GetValue<int>() > 0);

            var events = await StreamAsync(http, ChatRequest(16, stream: true));
            Assert.True(events.Count > 2, string.Join('\n', events));
            Assert.Equal("[DONE]", events[^1]);
            Assert.Contains(events, e => e.Contains("\"delta\"", StringComparison.Ordinal));

            await LogSpeedAsync(http);
        }

        await ProcessAssert.ExitedAsync(pid);
        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task TinyModels_EmbeddingModel_ReturnsVectorOf64Floats()
    {
        using var dir = new TempDirectory("embed");
        var model = TinyModels.WriteEmbeddingModel(dir.Combine("tiny-embed.gguf"));

        await using (var server = await LlamaServerProcess.StartHealthyAsync(new() { ModelPath = model, Embeddings = true }, cancellationToken: Ct))
        {
            using var http = new HttpClient { BaseAddress = server.BaseAddress };
            using var response = await http.PostAsJsonAsync("v1/embeddings", new { input = "hello tiny world", model = "tiny" }, Ct);
            var body = await response.Content.ReadAsStringAsync(Ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, body);

            var vector = JsonNode.Parse(body)!["data"]![0]!["embedding"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray();
            output.WriteLine($"embedding[0..4]: {string.Join(", ", vector.Take(4))}");
            Assert.Equal(64, vector.Length);
            Assert.All(vector, v => Assert.True(float.IsFinite(v)));
            Assert.Contains(vector, v => v != 0f);
        }

        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    private static object ChatRequest(int maxTokens, bool stream, bool ignoreEos = false) => new
    {
        model = "tiny",
        messages = new[] { new { role = "user", content = "Hello, tiny model!" } },
        max_tokens = maxTokens,
        seed = 42,
        stream,
        ignore_eos = ignoreEos,
    };

    /// <summary>Returns each SSE data payload. Connection: close because llama-server drops the connection after a stream anyway.</summary>
    private static async Task<List<string>> StreamAsync(HttpClient http, object request)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = JsonContent.Create(request) };
        message.Headers.ConnectionClose = true;
        using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));
        var events = new List<string>();
        while (await reader.ReadLineAsync(Ct) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal)) events.Add(line["data: ".Length..]);
        }

        return events;
    }

    private async Task LogSpeedAsync(HttpClient http)
    {
        var clock = Stopwatch.StartNew();
        var events = await StreamAsync(http, ChatRequest(400, stream: true, ignoreEos: true));
        var seconds = clock.Elapsed.TotalSeconds;
        var timings = events.Where(e => e.Contains("\"timings\"", StringComparison.Ordinal)).Select(e => JsonNode.Parse(e)!["timings"]).LastOrDefault();
        var predicted = timings?["predicted_per_second"]?.GetValue<double>();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"400-token stream: {events.Count - 1} events in {seconds * 1000:F0} ms = {(events.Count - 1) / seconds:F0} events/s; server predicted_per_second {predicted:F0}"));
    }
}
