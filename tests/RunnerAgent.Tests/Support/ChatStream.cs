using System.Net.Http.Json;
using System.Text.Json;

namespace LlamaAspire.RunnerAgent.Tests.Support;

/// <summary>A streamed chat completion read straight from a leased llama-server, event by event.</summary>
internal sealed class ChatStream : IDisposable
{
    private readonly HttpClient _http;
    private readonly HttpResponseMessage _response;
    private readonly SseReader _reader;

    private ChatStream(HttpClient http, HttpResponseMessage response, SseReader reader)
    {
        _http = http;
        _response = response;
        _reader = reader;
    }

    public int Chunks { get; private set; }

    public string? FinishReason { get; private set; }

    public bool SawDone { get; private set; }

    /// <summary>Starts a generation of exactly <paramref name="tokens"/> tokens (end-of-stream ignored).</summary>
    public static async Task<ChatStream> StartAsync(string endpoint, string model, int tokens, CancellationToken ct)
    {
        var http = new HttpClient { BaseAddress = new Uri(endpoint), Timeout = Timeout.InfiniteTimeSpan };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = JsonContent.Create(new
            {
                model,
                messages = new[] { new { role = "user", content = "Tell me a long story." } },
                max_tokens = tokens,
                ignore_eos = true,
                stream = true,
                seed = 1,
            }),
        };
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        response.EnsureSuccessStatusCode();
        return new ChatStream(http, response, new SseReader(await response.Content.ReadAsStreamAsync(ct)));
    }

    /// <summary>False at the end of the stream.</summary>
    public async Task<bool> ReadNextAsync(CancellationToken ct)
    {
        if (await _reader.NextAsync(ct) is not { } next) return false;
        if (next.Data == "[DONE]")
        {
            SawDone = true;
            return true;
        }
        Chunks++;
        using var chunk = JsonDocument.Parse(next.Data);
        if (chunk.RootElement.TryGetProperty("choices", out var choices) && choices.GetArrayLength() > 0
            && choices[0].TryGetProperty("finish_reason", out var reason) && reason.ValueKind == JsonValueKind.String)
        {
            FinishReason = reason.GetString();
        }
        return true;
    }

    /// <summary>Reads to the end; an exception means the stream broke.</summary>
    public async Task ReadToEndAsync(CancellationToken ct)
    {
        while (await ReadNextAsync(ct))
        {
        }
    }

    public void Dispose()
    {
        _reader.Dispose();
        _response.Dispose();
        _http.Dispose();
    }
}
