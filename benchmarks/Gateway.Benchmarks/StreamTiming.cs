using System.Diagnostics;
using System.Net.Http.Json;

namespace LlamaAspire.Gateway.Benchmarks;

/// <summary>
/// One streamed generation: time to the first content event, to the last content event and to the end of the
/// response, and the events seen.
/// </summary>
internal sealed record StreamTiming(double FirstTokenMs, double LastTokenMs, double TotalMs, int Events, double? LeaseMs)
{
    public static Task<StreamTiming> MeasureAsync(HttpClient http, string model, string path, int tokens, bool ignoreEos = true) => MeasureAsync(http, new HttpRequestMessage(HttpMethod.Post, path)
    {
        Content = JsonContent.Create(new
        {
            model,
            messages = new[] { new { role = "user", content = "Tell me a story." } },
            max_tokens = tokens,
            ignore_eos = ignoreEos,
            stream = true,
            seed = 1,
        }),
    });

    /// <summary>
    /// The same generation through Ollama's /api/chat: NDJSON lines instead of SSE events. Ollama has no ignore_eos, so
    /// compare it with a direct run without it: the same seed then gives the same tokens.
    /// </summary>
    public static Task<StreamTiming> MeasureOllamaAsync(HttpClient http, string model, int tokens) => MeasureAsync(http, new HttpRequestMessage(HttpMethod.Post, "/api/chat")
    {
        Content = JsonContent.Create(new
        {
            model,
            messages = new[] { new { role = "user", content = "Tell me a story." } },
            options = new { num_predict = tokens, seed = 1 },
        }),
    });

    private static async Task<StreamTiming> MeasureAsync(HttpClient http, HttpRequestMessage request)
    {
        var clock = Stopwatch.StartNew();
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        double first = -1, last = -1;
        var events = 0;
        using var _ = request;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal) && !line.StartsWith('{')) continue;
            events++;
            if (!line.Contains("\"content\":\"", StringComparison.Ordinal)) continue;
            last = clock.Elapsed.TotalMilliseconds;
            if (first < 0) first = last;
        }
        double? lease = response.Headers.TryGetValues("Server-Timing", out var timing)
            && timing.First().Split("dur=") is [_, var dur] && double.TryParse(dur.Split(';')[0], System.Globalization.CultureInfo.InvariantCulture, out var ms) ? ms : null;
        return new StreamTiming(first, last, clock.Elapsed.TotalMilliseconds, events, lease);
    }
}
