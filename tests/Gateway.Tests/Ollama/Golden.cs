using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;

namespace LlamaAspire.Gateway.Tests.Ollama;

/// <summary>
/// Golden fixtures in Ollama/Golden (copied to the output). Outputs are compared as JSON values, so key order and
/// spacing do not matter. With OLLAMA_GOLDEN_UPDATE=1 a mismatch rewrites the expected file in the source tree
/// instead of failing; review the diff before committing it.
/// </summary>
internal static class Golden
{
    public static byte[] Read(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Ollama", "Golden", name));

    public static string ReadText(string name) => Encoding.UTF8.GetString(Read(name));

    /// <summary>The data payloads of an SSE transcript, without ":" comment pings.</summary>
    public static IReadOnlyList<byte[]> SsePayloads(string name) =>
        [.. ReadText(name).Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(e => e.Trim('\n'))
            .Where(e => e.StartsWith("data:", StringComparison.Ordinal))
            .Select(e => Encoding.UTF8.GetBytes(e["data:".Length..].TrimStart()))];

    public static void AssertJson(string expectedName, JsonNode? actual, [CallerFilePath] string caller = "") =>
        AssertJson(expectedName, actual?.ToJsonString() ?? "null", caller);

    public static void AssertJson(string expectedName, byte[] actual, [CallerFilePath] string caller = "") =>
        AssertJson(expectedName, Encoding.UTF8.GetString(actual), caller);

    public static void AssertJson(string expectedName, string actual, [CallerFilePath] string caller = "")
    {
        var actualNode = JsonNode.Parse(actual);
        if (Exists(expectedName) && JsonNode.DeepEquals(JsonNode.Parse(ReadText(expectedName)), actualNode)) return;
        if (Update(expectedName, Pretty(actualNode) + "\n", caller)) return;
        Assert.Fail($"{expectedName} differs; actual:\n{Pretty(actualNode)}");
    }

    /// <summary>NDJSON: every line a JSON value, each ending in '\n', compared line by line.</summary>
    public static void AssertNdjson(string expectedName, IEnumerable<byte[]> lines, [CallerFilePath] string caller = "")
    {
        var actual = string.Concat(lines.Select(l => Encoding.UTF8.GetString(l)));
        Assert.EndsWith("\n", actual, StringComparison.Ordinal);
        Assert.DoesNotContain("\n\n", actual, StringComparison.Ordinal);
        var actualLines = actual[..^1].Split('\n');
        if (Exists(expectedName))
        {
            var expectedLines = ReadText(expectedName).TrimEnd('\n').Split('\n');
            if (expectedLines.Length == actualLines.Length
                && expectedLines.Zip(actualLines).All(p => JsonNode.DeepEquals(JsonNode.Parse(p.First), JsonNode.Parse(p.Second)))) return;
        }
        if (Update(expectedName, actual, caller)) return;
        Assert.Fail($"{expectedName} differs; actual:\n{actual}");
    }

    private static bool Exists(string name) => File.Exists(Path.Combine(AppContext.BaseDirectory, "Ollama", "Golden", name));

    private static bool Update(string name, string content, string caller)
    {
        if (Environment.GetEnvironmentVariable("OLLAMA_GOLDEN_UPDATE") != "1") return false;
        File.WriteAllText(Path.Combine(Path.GetDirectoryName(caller)!, "Golden", name), content);
        return true;
    }

    private static string Pretty(JsonNode? node) => node?.ToJsonString(Indented) ?? "null";

    private static readonly System.Text.Json.JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}

/// <summary>A clock stopped at one instant, so created_at is reproducible.</summary>
internal sealed class FixedTime : TimeProvider
{
    public static readonly DateTimeOffset Instant = new(2026, 11, 22, 1, 2, 3, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => Instant.AddTicks(1_234_560);
}
