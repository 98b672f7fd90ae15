using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LlamaAspire.Gateway.Tests.Responses;

/// <summary>
/// Golden fixtures of the Responses and Anthropic translators, read from the "Golden" folder next to the calling
/// test's source file. JSON is compared as values (key order and spacing do not matter); SSE transcripts event by
/// event, names exactly. With TRANSLATOR_GOLDEN_UPDATE=1 a mismatch rewrites the expected file instead of failing;
/// review the diff before committing it.
/// </summary>
internal static class TranslatorGolden
{
    public static byte[] Read(string name, [CallerFilePath] string caller = "") => File.ReadAllBytes(PathOf(name, caller));

    /// <summary>The data payloads of llama-server's SSE transcript, without ":" comment pings.</summary>
    public static IReadOnlyList<byte[]> LlamaPayloads(string name, [CallerFilePath] string caller = "") =>
        [.. File.ReadAllText(PathOf(name, caller)).Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(e => e.Trim('\n'))
            .Where(e => e.StartsWith("data:", StringComparison.Ordinal))
            .Select(e => Encoding.UTF8.GetBytes(e["data:".Length..].TrimStart()))];

    public static void AssertJson(string expectedName, JsonNode? actual, [CallerFilePath] string caller = "") =>
        AssertJson(expectedName, actual?.ToJsonString() ?? "null", caller);

    public static void AssertJson(string expectedName, string actual, [CallerFilePath] string caller = "")
    {
        var actualNode = JsonNode.Parse(actual);
        var path = PathOf(expectedName, caller);
        if (File.Exists(path) && JsonNode.DeepEquals(JsonNode.Parse(File.ReadAllText(path)), actualNode)) return;
        if (Update(path, Pretty(actualNode) + "\n")) return;
        Assert.Fail($"{expectedName} differs; actual:\n{Pretty(actualNode)}");
    }

    /// <summary>Named SSE events ("event: x\ndata: json\n\n"), compared event by event.</summary>
    public static void AssertEvents(string expectedName, IEnumerable<byte[]> events, [CallerFilePath] string caller = "")
    {
        var actual = string.Concat(events.Select(e => Encoding.UTF8.GetString(e)));
        var actualEvents = Parse(actual);
        Assert.All(actualEvents, e => Assert.NotNull(e.Data));
        var path = PathOf(expectedName, caller);
        if (File.Exists(path))
        {
            var expected = Parse(File.ReadAllText(path));
            if (expected.Count == actualEvents.Count && expected.Zip(actualEvents).All(p => p.First.Name == p.Second.Name && JsonNode.DeepEquals(p.First.Data, p.Second.Data))) return;
        }
        if (Update(path, actual)) return;
        Assert.Fail($"{expectedName} differs; actual:\n{actual}");
    }

    /// <summary>Each event's name and data; an event that is not exactly "event:" then "data:" then a blank line fails.</summary>
    public static List<(string Name, JsonNode? Data)> Parse(string transcript)
    {
        Assert.EndsWith("\n\n", transcript, StringComparison.Ordinal);
        return [.. transcript[..^2].Split("\n\n").Select(block =>
        {
            var lines = block.Split('\n');
            Assert.Equal(2, lines.Length);
            Assert.StartsWith("event: ", lines[0], StringComparison.Ordinal);
            Assert.StartsWith("data: ", lines[1], StringComparison.Ordinal);
            return (lines[0]["event: ".Length..], JsonNode.Parse(lines[1]["data: ".Length..]));
        })];
    }

    private static string PathOf(string name, string caller) => Path.Combine(Path.GetDirectoryName(caller)!, "Golden", name);

    private static bool Update(string path, string content)
    {
        if (Environment.GetEnvironmentVariable("TRANSLATOR_GOLDEN_UPDATE") != "1") return false;
        File.WriteAllText(path, content);
        return true;
    }

    private static string Pretty(JsonNode? node) => node?.ToJsonString(Indented) ?? "null";

    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}

/// <summary>Ids numbered in order of use ("resp_1", "msg_2"), so golden answers are reproducible.</summary>
internal sealed class CountingIds
{
    private int _next;

    public string Next(string prefix) => $"{prefix}_{++_next}";
}
