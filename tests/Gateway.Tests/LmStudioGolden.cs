using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;

namespace LlamaAspire.Gateway.Tests;

/// <summary>
/// The LM Studio fixtures in LmStudio/, read from the source tree next to this file. JSON is compared as values (key order
/// and spacing aside), SSE transcripts event by event. With LMSTUDIO_GOLDEN_UPDATE=1 a mismatch rewrites the expected file
/// instead of failing; review the diff before committing it.
/// </summary>
internal static class LmStudioGolden
{
    private static string Folder([CallerFilePath] string self = "") => Path.Combine(Path.GetDirectoryName(self)!, "LmStudio");

    public static byte[] Read(string name) => File.ReadAllBytes(Path.Combine(Folder(), name));

    public static string ReadText(string name) => Encoding.UTF8.GetString(Read(name));

    /// <summary>The events of an SSE transcript, each without its closing blank line.</summary>
    public static IReadOnlyList<string> Events(string transcript) =>
        [.. transcript.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => e.Trim('\n')).Where(e => e.Length > 0)];

    public static void AssertJson(string expectedName, string actual)
    {
        var actualNode = JsonNode.Parse(actual);
        var path = Path.Combine(Folder(), expectedName);
        if (File.Exists(path) && JsonNode.DeepEquals(JsonNode.Parse(File.ReadAllText(path)), actualNode)) return;
        if (Update(path, actualNode?.ToJsonString(Indented) + "\n")) return;
        Assert.Fail($"{expectedName} differs; actual:\n{actualNode?.ToJsonString(Indented)}");
    }

    public static void AssertSse(string expectedName, string actual)
    {
        var path = Path.Combine(Folder(), expectedName);
        if (File.Exists(path))
        {
            var expected = Events(File.ReadAllText(path));
            var got = Events(actual);
            if (expected.Count == got.Count && expected.Zip(got).All(p => SameEvent(p.First, p.Second))) return;
        }
        if (Update(path, actual)) return;
        Assert.Fail($"{expectedName} differs; actual:\n{actual}");
    }

    private static bool SameEvent(string expected, string actual)
    {
        const string Data = "data: ";
        if (!expected.StartsWith(Data, StringComparison.Ordinal) || !actual.StartsWith(Data, StringComparison.Ordinal) || expected == actual) return expected == actual;
        try
        {
            return JsonNode.DeepEquals(JsonNode.Parse(expected[Data.Length..]), JsonNode.Parse(actual[Data.Length..]));
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    private static bool Update(string path, string content)
    {
        if (Environment.GetEnvironmentVariable("LMSTUDIO_GOLDEN_UPDATE") != "1") return false;
        File.WriteAllText(path, content);
        return true;
    }

    private static readonly System.Text.Json.JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
