using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace LlamaAspire.RunnerAgent.Tests.Support;

internal static class ChatRequest
{
    /// <summary>A short non-streamed chat completion; returns the parsed response after asserting 200.</summary>
    public static async Task<JsonNode> SendAsync(Uri endpoint, string model, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = endpoint };
        var request = new
        {
            model,
            messages = new[] { new { role = "user", content = "Hello, tiny model!" } },
            max_tokens = 8,
            seed = 42,
        };
        using var response = await http.PostAsJsonAsync("/v1/chat/completions", request, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonNode.Parse(body)!;
    }
}
