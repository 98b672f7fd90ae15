using System.Text.Json;

namespace LlamaAspire.RunnerAgent.Tests.Support;

internal static class ErrorResponses
{
    /// <summary>The <c>error</c> of a <c>{"error": "..."}</c> body.</summary>
    public static async Task<string?> ErrorAsync(this HttpResponseMessage response, CancellationToken ct)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return json.RootElement.GetProperty("error").GetString();
    }
}
