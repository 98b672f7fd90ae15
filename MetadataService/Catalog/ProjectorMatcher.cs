namespace LlamaAspire.MetadataService.Catalog;

/// <summary>
/// Which models in a folder an mmproj*.gguf beside them belongs to. With one model in the folder, any projector there is
/// its own (llama.cpp's router layout). In a flat folder of several models, a projector belongs to the model(s) whose
/// file name shares the longest prefix with the projector's name once "mmproj" is stripped
/// (mmproj-gemma-3-4b-it-f16 ⇒ gemma-3-4b-it-Q4_K_M and gemma-3-4b-it-Q8_0, not llama-3-8b).
/// </summary>
public static class ProjectorMatcher
{
    /// <summary>A shorter shared prefix says nothing (e.g. just "qwen").</summary>
    public const int MinSharedPrefix = 5;

    private static readonly char[] Separators = ['-', '_', '.', ' '];

    /// <param name="modelStems">The file names (no extension, no shard suffix) of the models in one folder.</param>
    /// <param name="projectorStems">The file names (no extension) of the mmproj files in that folder.</param>
    /// <returns>The model stems that have a projector.</returns>
    public static IReadOnlySet<string> ModelsWithProjector(IReadOnlyCollection<string> modelStems, IReadOnlyCollection<string> projectorStems) =>
        Match(modelStems, projectorStems).Keys.ToHashSet(StringComparer.Ordinal);

    /// <returns>Each model stem that has a projector, with the projector's stem: the best-matching one, the first by name on a tie.</returns>
    public static IReadOnlyDictionary<string, string> Match(IReadOnlyCollection<string> modelStems, IReadOnlyCollection<string> projectorStems)
    {
        ArgumentNullException.ThrowIfNull(modelStems);
        ArgumentNullException.ThrowIfNull(projectorStems);
        var matched = new Dictionary<string, (string Projector, int Shared)>(StringComparer.Ordinal);
        if (projectorStems.Count == 0 || modelStems.Count == 0) return new Dictionary<string, string>();
        var alone = modelStems.Count == 1;
        foreach (var projector in projectorStems.Order(StringComparer.Ordinal))
        {
            var name = projector["mmproj".Length..].TrimStart(Separators);
            var best = modelStems.Max(m => SharedPrefix(m, name));
            if (!alone && best < MinSharedPrefix) continue;
            foreach (var model in modelStems.Where(m => SharedPrefix(m, name) == best))
                if (!matched.TryGetValue(model, out var current) || best > current.Shared) matched[model] = (projector, best);
        }

        return matched.ToDictionary(m => m.Key, m => m.Value.Projector, StringComparer.Ordinal);
    }

    private static int SharedPrefix(string a, string b)
    {
        var n = 0;
        while (n < a.Length && n < b.Length && char.ToUpperInvariant(a[n]) == char.ToUpperInvariant(b[n])) n++;
        return n;
    }
}
