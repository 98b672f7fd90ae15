using System.Text.Json;

namespace LlamaAspire.AppHost.Configuration;

/// <summary>Reads, validates and first-writes config.json. Comments and trailing commas are allowed.</summary>
public static class ConfigFile
{
    private static readonly JsonDocumentOptions ReadOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static AppHostSettings Apply(AppHostSettings settings, string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(path), ReadOptions);
        }
        catch (JsonException e)
        {
            throw new SettingsException($"{path}: not valid JSON (line {e.LineNumber + 1}): {e.Message.Split(" LineNumber", 2)[0]}");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new SettingsException($"{path}: expected a JSON object at the top level");

            var baseDir = Path.GetDirectoryName(Path.GetFullPath(path))!;
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name.StartsWith('$')) continue;   // "$comment" and the like
                if (RunnerSections.IsRunnerSection(property.Name))
                {
                    settings = WithRunnerSection(settings, path, property, baseDir);
                    continue;
                }
                var setting = SettingDefinitions.All.FirstOrDefault(s => s.ConfigKey == property.Name)
                    ?? throw new SettingsException($"{path}: unknown key \"{property.Name}\"");
                try
                {
                    foreach (var value in Values(setting, property.Value))
                        settings = setting.Apply(settings, value, baseDir);
                }
                catch (SettingsException e)
                {
                    throw new SettingsException($"{path}: \"{property.Name}\": {e.Message}");
                }
            }
        }
        return settings;
    }

    private static AppHostSettings WithRunnerSection(AppHostSettings settings, string path, JsonProperty property, string baseDir)
    {
        try
        {
            var flat = RunnerSections.Flatten(property.Name, property.Value, baseDir);
            if (flat.Count == 0) return settings;
            var merged = new Dictionary<string, string>(settings.RunnerSections, StringComparer.Ordinal);
            foreach (var (key, value) in flat) merged[key] = value;
            return settings with { RunnerSections = merged };
        }
        catch (SettingsException e)
        {
            throw new SettingsException($"{path}: \"{property.Name}\": {e.Message}");
        }
    }

    public static void WriteDefaults(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = path + ".tmp";
        File.WriteAllText(temp, DefaultContent);
        File.Move(temp, path, overwrite: false);
    }

    private static IEnumerable<string> Values(SettingDefinition setting, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => [],
        JsonValueKind.String when !setting.Repeatable => [value.GetString()!],
        JsonValueKind.Number => [value.GetRawText()],
        JsonValueKind.True or JsonValueKind.False => [value.GetRawText()],
        JsonValueKind.Array when setting.Repeatable => value.EnumerateArray().Select(item =>
            item.ValueKind == JsonValueKind.String ? item.GetString()! : throw new SettingsException("expected an array of strings")),
        _ => throw new SettingsException(setting.Repeatable ? "expected an array of strings" : $"expected a {setting.ValueName.ToLowerInvariant()}"),
    };

    private const string DefaultContent = """
        // LlamaAspire configuration. Each key also has a command-line flag (see --help);
        // flags win over this file. Relative paths are relative to this file's folder.
        {
          // Folders scanned (recursively) for GGUF models. --models-dir
          "modelsDirs": [],

          // The llama-server binary. null: LLAMA_SERVER_PATH, then PATH, then a build cached under the home folder
          // (made on first need from the llama.cpp source in the npm package node-llama-cpp). --llama-server
          "llamaServer": null,

          // How many llama-server processes may run at once; the least recently used idle one is unloaded first,
          // and a busy one only after its requests end. --max-runners
          "maxRunners": 1,

          // How long an idle model stays loaded (Ollama's keep_alive): "5m", "1h", "0" unloads at once, "-1" never. --keep-alive
          "keepAlive": "5m",

          // Context a model loads with unless a request asks for more (Ollama's num_ctx restarts it with the larger one,
          // up to the model's trained context). --context-length
          "contextLength": 4096,

          // Requests one llama-server decodes at once; they share its context. --parallel
          "parallel": 4,

          // What the loaded models may take together, in MiB: weights plus KV cache. null: GPU memory when nvidia-smi
          // answers, else physical memory, less a margin. --memory-budget-mib
          "memoryBudgetMiB": null,

          // More llama-server builds by name, for models that need another one, e.g. { "cuda": "/opt/llama-cuda/llama-server" }.
          "runtimes": {},

          // Per-model settings. Example:
          // [ { "model": "qwen3-8b", "contextLength": 16384, "parallel": 2, "keepAlive": "1h", "args": ["-ngl", "99"], "runtime": "cuda" } ]
          // "args" are extra llama-server arguments, one per item; flags the binary does not know are refused.
          "models": [],

          // Bind address of the user-facing ports. Use 0.0.0.0 to serve the local network. --host
          "host": "127.0.0.1",

          // Also list the models LM Studio, Ollama and the llama.cpp cache already have on this machine. --discover-stores
          "discoverStores": true,

          // Let Ollama's /api/delete delete a model's files (only inside "modelsDirs"); off, it deletes only aliases made by /api/copy. --allow-delete-files
          "allowDeleteFiles": false,

          // User-facing ports. --ollama-port --lmstudio-port --openai-port --dashboard-port
          "ollamaPort": 11434,
          "lmstudioPort": 1234,
          "openaiPort": 8080,
          "dashboardPort": 8035,

          // Send traces, metrics and logs to an OTLP collector or a standalone Aspire dashboard. --otlp-endpoint --otlp-protocol
          "otlpEndpoint": null,
          "otlpProtocol": "grpc",

          // Console log level: Trace, Debug, Information, Warning, Error. Log files under <home>/logs keep Information. --log-level
          "logLevel": "Information"
        }

        """;
}
