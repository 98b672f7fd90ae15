using System.Text.Json;

namespace LlamaAspire.MetadataService.Aliases;

/// <summary>
/// The persisted aliases, one small JSON file under the home folder, written whole through a temp file so a crash never
/// leaves half of it. Names compare case-insensitively. An unreadable file is moved aside (never deleted: it is the
/// user's data) and the store starts empty.
/// </summary>
public sealed class AliasStore
{
    public const int MaxNameLength = 256;
    public const int MaxAliases = 10_000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private readonly ILogger<AliasStore> _logger;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private Dictionary<string, ModelAlias> _aliases;

    public AliasStore(string file, TimeProvider time, ILogger<AliasStore> logger)
    {
        ArgumentException.ThrowIfNullOrEmpty(file);
        File = file;
        _time = time;
        _logger = logger;
        _aliases = Load();
    }

    public string File { get; }

    public IReadOnlyList<ModelAlias> List()
    {
        lock (_gate) return [.. _aliases.Values.OrderBy(a => a.Name, StringComparer.OrdinalIgnoreCase)];
    }

    public ModelAlias? Find(string name)
    {
        lock (_gate) return _aliases.GetValueOrDefault(name);
    }

    /// <summary>Creates or retargets an alias; an alias of an alias points at the final model, so chains never form.</summary>
    /// <exception cref="ArgumentException">The name is not usable (empty, too long, control characters) or the store is full.</exception>
    public ModelAlias Set(string name, string target)
    {
        if (Problem(name) is { } problem) throw new ArgumentException(problem, nameof(name));
        ArgumentException.ThrowIfNullOrEmpty(target);
        lock (_gate)
        {
            if (_aliases.TryGetValue(target, out var through)) target = through.Target;
            if (!_aliases.ContainsKey(name) && _aliases.Count >= MaxAliases) throw new ArgumentException($"at most {MaxAliases} aliases can be stored", nameof(name));
            var next = new Dictionary<string, ModelAlias>(_aliases, StringComparer.OrdinalIgnoreCase) { [name] = new ModelAlias(name, target, _time.GetUtcNow()) };
            Save(next);
            _aliases = next;
            return next[name];
        }
    }

    /// <summary>False when there was no such alias.</summary>
    public bool Remove(string name) => RemoveWhere(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase)) > 0;

    /// <summary>Drops every alias of a model whose files are gone.</summary>
    public int RemoveTarget(string target) => RemoveWhere(a => string.Equals(a.Target, target, StringComparison.OrdinalIgnoreCase));

    /// <summary>Why a name cannot be an alias, or null when it can.</summary>
    public static string? Problem(string? name) =>
        string.IsNullOrWhiteSpace(name) ? "an alias needs a name"
        : name.Length > MaxNameLength ? $"an alias name is at most {MaxNameLength} characters"
        : name.Any(char.IsControl) ? "an alias name cannot hold control characters"
        : null;

    private int RemoveWhere(Func<ModelAlias, bool> match)
    {
        lock (_gate)
        {
            var next = new Dictionary<string, ModelAlias>(_aliases.Values.Where(a => !match(a)).ToDictionary(a => a.Name), StringComparer.OrdinalIgnoreCase);
            var removed = _aliases.Count - next.Count;
            if (removed == 0) return 0;
            Save(next);
            _aliases = next;
            return removed;
        }
    }

    private void Save(Dictionary<string, ModelAlias> aliases)
    {
        var temp = $"{File}.{Guid.NewGuid():N}.tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(File)!);
            System.IO.File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(new AliasDocument(AliasDocument.CurrentVersion, [.. aliases.Values]), Json));
            System.IO.File.Move(temp, File, overwrite: true);
        }
        catch
        {
            try { System.IO.File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }

    private Dictionary<string, ModelAlias> Load()
    {
        var empty = new Dictionary<string, ModelAlias>(StringComparer.OrdinalIgnoreCase);
        if (!System.IO.File.Exists(File)) return empty;
        try
        {
            var document = JsonSerializer.Deserialize<AliasDocument>(System.IO.File.ReadAllBytes(File), Json);
            if (document is not { Version: AliasDocument.CurrentVersion, Aliases: { } aliases }) throw new JsonException("unknown version");
            foreach (var alias in aliases.Where(a => Problem(a.Name) is null && !string.IsNullOrEmpty(a.Target)).Take(MaxAliases)) empty[alias.Name] = alias;
            return empty;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            var aside = $"{File}.unreadable-{_time.GetUtcNow():yyyyMMddHHmmss}";
            try { System.IO.File.Move(File, aside, overwrite: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            Log.AliasesDiscarded(_logger, File, aside, e.Message);
            return empty;
        }
    }

    private sealed record AliasDocument(int Version, List<ModelAlias>? Aliases)
    {
        public const int CurrentVersion = 1;
    }
}
