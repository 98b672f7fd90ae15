namespace LlamaAspire.RunnerAgent;

/// <summary>
/// A model name is an id, never a path. Names come from URLs, where Kestrel leaves %2F encoded, so they are
/// decoded once here and checked after decoding.
/// </summary>
internal static class ModelNames
{
    /// <summary>The decoded name, or null with the reason it is refused.</summary>
    public static string? Parse(string? raw, out string? error)
    {
        var name = raw is null ? null : Uri.UnescapeDataString(raw);
        error = Check(name);
        return error is null ? name : null;
    }

    private static string? Check(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return "'model' is required";
        if (name.Contains('\0', StringComparison.Ordinal)) return "a model name cannot contain NUL";
        if (name.Contains('\\', StringComparison.Ordinal)) return "a model name cannot contain '\\'";
        if (name.StartsWith('/') || Path.IsPathRooted(name) || (name.Length > 1 && name[1] == ':' && char.IsAsciiLetter(name[0])))
            return "a model name cannot be an absolute path";
        if (name.Split('/').Any(segment => segment is ".." or "." or ""))
            return "a model name cannot contain empty, '.' or '..' segments";
        return null;
    }
}

/// <summary>"org/model/logs" is model "org/model" and action "logs": model ids may contain '/', so the action is the last segment.</summary>
internal static class RunnerTargets
{
    public static (string RawModel, string Action) Split(string target)
    {
        var slash = target.LastIndexOf('/');
        return slash < 0 ? (target, "") : (target[..slash], target[(slash + 1)..]);
    }
}
