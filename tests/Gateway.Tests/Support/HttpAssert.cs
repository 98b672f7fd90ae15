using System.Net;
using System.Text.Json.Nodes;

namespace LlamaAspire.Gateway.Tests.Support;

internal static class HttpAssert
{
    public static async Task<string> TextAsync(HttpResponseMessage response, HttpStatusCode status, string mediaType, CancellationToken ct)
    {
        var body = await response.Content.ReadAsStringAsync(ct);
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        return body;
    }

    /// <summary>Asserts status and a JSON content type, and parses the body.</summary>
    public static async Task<JsonNode> JsonAsync(HttpResponseMessage response, HttpStatusCode status, CancellationToken ct) =>
        JsonNode.Parse(await TextAsync(response, status, "application/json", ct))
            ?? throw new Xunit.Sdk.XunitException("The body is JSON null.");

    /// <summary>Same JSON, key order aside: no missing and no extra fields.</summary>
    public static void JsonEqual(string expected, JsonNode actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"Expected {expected}{Environment.NewLine}Actual   {actual.ToJsonString()}");
}
