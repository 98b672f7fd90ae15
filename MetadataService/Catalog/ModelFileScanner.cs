using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace LlamaAspire.MetadataService.Catalog;

/// <summary>
/// Lists the GGUF models under the configured folders and the discovered stores; reads no header.
/// Ids are file stems (the parent folder is added when two stems clash), Ollama's name:tag for its blobs.
/// </summary>
public sealed partial class ModelFileScanner(
    IOptionsMonitor<MetadataOptions> options, ILogger<ModelFileScanner> logger, Func<string, string?>? environment = null)
{
    private readonly Func<string, string?> _environment = environment ?? Environment.GetEnvironmentVariable;

    private static readonly EnumerationOptions Recursive = new()
    {
        RecurseSubdirectories = true,
        IgnoreInaccessible = true,
        MatchCasing = MatchCasing.CaseInsensitive,
        AttributesToSkip = FileAttributes.Hidden | FileAttributes.System,
    };

    /// <summary>Every folder scanned: the configured ones, the discovered stores' and Ollama's; for watching.</summary>
    public IReadOnlyList<string> Roots()
    {
        var current = options.CurrentValue;
        return [.. current.ModelDirs, .. StoreDiscovery.GgufDirs(current, _environment), .. StoreDiscovery.OllamaDir(current) is { } ollama ? [ollama] : Array.Empty<string>()];
    }

    public IReadOnlyList<ModelFile> Scan()
    {
        var current = options.CurrentValue;
        var files = new List<(string Stem, string Path, FileInfo Info, int Shards)>();
        var projectors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var dir in current.ModelDirs.Concat(StoreDiscovery.GgufDirs(current, _environment)))
        {
            if (!Directory.Exists(dir))
            {
                Log.ModelDirMissing(logger, dir);
                continue;
            }
            foreach (var path in Directory.EnumerateFiles(dir, "*.gguf", Recursive))
            {
                var name = System.IO.Path.GetFileNameWithoutExtension(path);
                if (name.StartsWith("mmproj", StringComparison.OrdinalIgnoreCase))
                {
                    // A vision projector, not a model.
                    var folder = System.IO.Path.GetDirectoryName(path)!;
                    if (!projectors.TryGetValue(folder, out var inFolder)) projectors[folder] = inFolder = [];
                    inFolder.Add(name);
                    continue;
                }
                var shard = ShardSuffix().Match(name);
                if (shard.Success && shard.Groups["index"].Value.TrimStart('0') != "1") continue;   // the first shard stands for all
                var info = new FileInfo(path);
                var shardCount = shard.Success ? int.Parse(shard.Groups["count"].Value, System.Globalization.CultureInfo.InvariantCulture) : 1;
                files.Add((shard.Success ? name[..shard.Index] : name, path, info, shardCount));
            }
        }

        var clashing = files.GroupBy(f => f.Stem, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var withVision = VisionModels(files.Select(f => (f.Stem, f.Path)), projectors);
        var ollama = StoreDiscovery.OllamaDir(current) is { } ollamaDir ? OllamaStore.Scan(ollamaDir, logger) : [];
        return [.. files
            .Select(f => new ModelFile(
                clashing.Contains(f.Stem) ? $"{new DirectoryInfo(System.IO.Path.GetDirectoryName(f.Path)!).Name}/{f.Stem}" : f.Stem,
                f.Path,
                SizeOfShards(f.Path, f.Info, f.Shards),
                f.Info.LastWriteTimeUtc,
                f.Shards,
                withVision.ContainsKey(f.Path),
                withVision.GetValueOrDefault(f.Path)))
            .Concat(ollama)
            .OrderBy(m => m.Id, StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>Model path to the path of the projector in its folder that belongs to it (see <see cref="ProjectorMatcher"/>).</summary>
    private static Dictionary<string, string> VisionModels(IEnumerable<(string Stem, string Path)> models, Dictionary<string, List<string>> projectors)
    {
        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var folder in models.GroupBy(m => System.IO.Path.GetDirectoryName(m.Path)!, StringComparer.Ordinal))
        {
            if (!projectors.TryGetValue(folder.Key, out var inFolder)) continue;
            var matched = ProjectorMatcher.Match([.. folder.Select(m => m.Stem)], inFolder);
            foreach (var model in folder)
                if (matched.TryGetValue(model.Stem, out var projector)) paths[model.Path] = System.IO.Path.Combine(folder.Key, projector + ".gguf");
        }

        return paths;
    }

    /// <summary>Scans now and finds one id; the API uses <see cref="ModelCatalog.Find"/> instead, which needs no scan.</summary>
    public ModelFile? Find(string id) =>
        Scan().FirstOrDefault(m => string.Equals(m.Id, id, StringComparison.OrdinalIgnoreCase));

    /// <summary>The model's files in shard order: the path itself for a single file.</summary>
    public static IReadOnlyList<string> ShardPaths(ModelFile model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return ShardPaths(model.Path, model.ShardCount);
    }

    private static List<string> ShardPaths(string firstShard, int shardCount)
    {
        if (shardCount == 1) return [firstShard];
        // The suffix sits before the extension: rewrite the stem, not the whole path.
        var directory = System.IO.Path.GetDirectoryName(firstShard)!;
        var stem = System.IO.Path.GetFileNameWithoutExtension(firstShard);
        var extension = System.IO.Path.GetExtension(firstShard);
        return [.. Enumerable.Range(1, shardCount)
            .Select(i => System.IO.Path.Combine(directory, ShardSuffix().Replace(stem, $"-{i:D5}-of-{shardCount:D5}") + extension))];
    }

    private static long SizeOfShards(string firstShard, FileInfo first, int shardCount) =>
        shardCount == 1 ? first.Length : ShardPaths(firstShard, shardCount).Select(p => new FileInfo(p)).Where(f => f.Exists).Sum(f => f.Length);

    [GeneratedRegex(@"-(?<index>\d{5})-of-(?<count>\d{5})$")]
    private static partial Regex ShardSuffix();
}
