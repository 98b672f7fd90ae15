using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace LlamaAspire.MetadataService.Catalog;

/// <summary>
/// Lists the GGUF models under the configured folders. The walking skeleton of the catalog: no header is read yet,
/// and ids are file stems (the parent folder is added when two stems clash).
/// </summary>
public sealed partial class ModelFileScanner(IOptionsMonitor<MetadataOptions> options, ILogger<ModelFileScanner> logger)
{
    private static readonly EnumerationOptions Recursive = new()
    {
        RecurseSubdirectories = true,
        IgnoreInaccessible = true,
        MatchCasing = MatchCasing.CaseInsensitive,
        AttributesToSkip = FileAttributes.Hidden | FileAttributes.System,
    };

    public IReadOnlyList<ModelFile> Scan()
    {
        var files = new List<(string Stem, string Path, FileInfo Info, int Shards)>();
        foreach (var dir in options.CurrentValue.ModelDirs)
        {
            if (!Directory.Exists(dir))
            {
                Log.ModelDirMissing(logger, dir);
                continue;
            }
            foreach (var path in Directory.EnumerateFiles(dir, "*.gguf", Recursive))
            {
                var name = System.IO.Path.GetFileNameWithoutExtension(path);
                if (name.StartsWith("mmproj", StringComparison.OrdinalIgnoreCase)) continue;   // a vision projector, not a model
                var shard = ShardSuffix().Match(name);
                if (shard.Success && shard.Groups["index"].Value.TrimStart('0') != "1") continue;   // the first shard stands for all
                var info = new FileInfo(path);
                var shardCount = shard.Success ? int.Parse(shard.Groups["count"].Value, System.Globalization.CultureInfo.InvariantCulture) : 1;
                files.Add((shard.Success ? name[..shard.Index] : name, path, info, shardCount));
            }
        }

        var clashing = files.GroupBy(f => f.Stem, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        return [.. files
            .Select(f => new ModelFile(
                clashing.Contains(f.Stem) ? $"{new DirectoryInfo(System.IO.Path.GetDirectoryName(f.Path)!).Name}/{f.Stem}" : f.Stem,
                f.Path,
                SizeOfShards(f.Path, f.Info, f.Shards),
                f.Info.LastWriteTimeUtc,
                f.Shards))
            .OrderBy(m => m.Id, StringComparer.OrdinalIgnoreCase)];
    }

    public ModelFile? Find(string id) =>
        Scan().FirstOrDefault(m => string.Equals(m.Id, id, StringComparison.OrdinalIgnoreCase));

    private static long SizeOfShards(string firstShard, FileInfo first, int shardCount)
    {
        if (shardCount == 1) return first.Length;
        // The suffix sits before the extension: rewrite the stem, not the whole path.
        var directory = System.IO.Path.GetDirectoryName(firstShard)!;
        var stem = System.IO.Path.GetFileNameWithoutExtension(firstShard);
        var extension = System.IO.Path.GetExtension(firstShard);
        long total = 0;
        for (var i = 1; i <= shardCount; i++)
        {
            var shard = new FileInfo(System.IO.Path.Combine(directory, ShardSuffix().Replace(stem, $"-{i:D5}-of-{shardCount:D5}") + extension));
            if (shard.Exists) total += shard.Length;
        }
        return total;
    }

    [GeneratedRegex(@"-(?<index>\d{5})-of-(?<count>\d{5})$")]
    private static partial Regex ShardSuffix();
}
