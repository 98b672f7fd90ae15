using System.Globalization;
using System.Text.Json;

namespace LlamaAspire.AppHost.Configuration;

/// <summary>
/// config.json's structured runner keys, checked here and passed on as RunnerAgent configuration:
/// "runtimes": { "cuda": "/opt/llama-cuda/llama-server" } and
/// "models": [ { "model": "qwen3-8b", "contextLength": 16384, "parallel": 2, "keepAlive": "1h", "args": ["-ngl", "99"], "runtime": "cuda" } ].
/// </summary>
public static class RunnerSections
{
    public const string ModelsKey = "models";
    public const string RuntimesKey = "runtimes";

    private static readonly string[] ModelKeys = ["model", "contextLength", "parallel", "keepAlive", "args", "runtime"];

    public static bool IsRunnerSection(string key) => key is ModelsKey or RuntimesKey;

    public static IReadOnlyDictionary<string, string> Flatten(string key, JsonElement value, string baseDir) => key switch
    {
        RuntimesKey => Runtimes(value, baseDir),
        ModelsKey => Models(value),
        _ => throw new ArgumentOutOfRangeException(nameof(key), key, "not a runner section"),
    };

    private static Dictionary<string, string> Runtimes(JsonElement value, string baseDir)
    {
        if (value.ValueKind != JsonValueKind.Object) throw new SettingsException("expected an object of runtime names and llama-server paths");
        var flat = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var runtime in value.EnumerateObject())
        {
            if (runtime.Name.Length == 0 || runtime.Name.Contains(':', StringComparison.Ordinal) || runtime.Name == "default")
                throw new SettingsException($"runtime name '{runtime.Name}' must be non-empty, without ':', and not 'default'");
            if (runtime.Value.ValueKind != JsonValueKind.String) throw new SettingsException($"\"{runtime.Name}\": expected the path of a llama-server binary");
            flat[$"Runtimes:{runtime.Name}"] = SettingDefinitions.FullPath(runtime.Value.GetString()!, baseDir);
        }
        return flat;
    }

    private static Dictionary<string, string> Models(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array) throw new SettingsException("expected an array of per-model settings");
        var flat = new Dictionary<string, string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var entry in value.EnumerateArray())
        {
            var prefix = $"Models:{index.ToString(CultureInfo.InvariantCulture)}";
            if (entry.ValueKind != JsonValueKind.Object) throw new SettingsException($"entry {index}: expected an object with a \"model\"");
            foreach (var property in entry.EnumerateObject())
            {
                if (!ModelKeys.Contains(property.Name, StringComparer.Ordinal))
                    throw new SettingsException($"entry {index}: unknown key \"{property.Name}\" (known: {string.Join(", ", ModelKeys)})");
                var name = char.ToUpperInvariant(property.Name[0]) + property.Name[1..];
                if (property.Name == "args")
                {
                    if (property.Value.ValueKind != JsonValueKind.Array || property.Value.EnumerateArray().Any(a => a.ValueKind != JsonValueKind.String))
                        throw new SettingsException($"entry {index}: \"args\" must be an array of strings, one argument each");
                    var i = 0;
                    foreach (var arg in property.Value.EnumerateArray()) flat[$"{prefix}:Args:{(i++).ToString(CultureInfo.InvariantCulture)}"] = arg.GetString()!;
                    continue;
                }
                flat[$"{prefix}:{name}"] = property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString()!,
                    JsonValueKind.Number => property.Value.GetRawText(),
                    _ => throw new SettingsException($"entry {index}: \"{property.Name}\" must be a string or a number"),
                };
            }
            if (!flat.TryGetValue($"{prefix}:Model", out var model) || string.IsNullOrWhiteSpace(model))
                throw new SettingsException($"entry {index}: \"model\" must name a model id");
            index++;
        }
        return flat;
    }
}
