using System.Globalization;
using System.Text.RegularExpressions;
using LlamaAspire.Gateway.Upstream;

namespace LlamaAspire.Gateway.LmStudio;

/// <summary>What kind of model LM Studio says it is: v0 tells vision models apart, v1 only llm and embedding.</summary>
public enum LmStudioModelKind
{
    Llm,
    Vlm,
    Embedding,
}

/// <summary>Catalog models (MetadataService's facts plus the runner, if any) in REST v0's and v1's shapes. Pure.</summary>
public static partial class LmStudioModelShapes
{
    public const string Format = "gguf";

    /// <summary>The publisher when the file's folders do not name one.</summary>
    public const string DefaultPublisher = "local";

    /// <summary>Folder names that say where models are kept, not who published them.</summary>
    private static readonly HashSet<string> StoreFolders = new(StringComparer.OrdinalIgnoreCase) { "models", "blobs", "gguf", "" };

    public static LmStudioModelKind Kind(CatalogModelInfo model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var capabilities = model.Facts?.Capabilities ?? [];
        if (capabilities.Contains("embedding")) return LmStudioModelKind.Embedding;
        return capabilities.Contains("vision") || model.ProjectorPath is not null ? LmStudioModelKind.Vlm : LmStudioModelKind.Llm;
    }

    public static bool SupportsTools(CatalogModelInfo model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Facts is { } facts && (facts.TemplateSupportsTools || (facts.Capabilities?.Contains("tools") ?? false));
    }

    /// <summary>
    /// LM Studio's own layout, models/&lt;publisher&gt;/&lt;repo&gt;/&lt;file&gt;.gguf, gives the folder above the repository's; else an
    /// id that carries a folder ("publisher/name") names it; else the file's folder, unless that is just a models folder.
    /// </summary>
    public static string Publisher(string id, string path)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(path);
        var folders = path.Split('/', '\\');
        // folders[^1] is the file name.
        if (folders.Length >= 4 && string.Equals(folders[^4], "models", StringComparison.OrdinalIgnoreCase) && !StoreFolders.Contains(folders[^3]))
            return folders[^3];
        var slash = id.LastIndexOf('/');
        if (slash > 0) return id[..slash];
        return folders.Length >= 2 && !StoreFolders.Contains(folders[^2]) ? folders[^2] : DefaultPublisher;
    }

    public static LmStudioV0ModelList V0List(IEnumerable<CatalogModelInfo> models, IEnumerable<LmStudioRunner> runners)
    {
        var byModel = ByModel(runners);
        return new LmStudioV0ModelList([.. models.Select(m => ToV0(m, byModel.GetValueOrDefault(m.Id)))]);
    }

    public static LmStudioV1ModelList V1List(IEnumerable<CatalogModelInfo> models, IEnumerable<LmStudioRunner> runners)
    {
        var byModel = ByModel(runners);
        return new LmStudioV1ModelList([.. models.Select(m => ToV1(m, byModel.GetValueOrDefault(m.Id)))]);
    }

    /// <summary>Runners by model id; ids are case-insensitive, as the catalog looks them up.</summary>
    private static Dictionary<string, LmStudioRunner> ByModel(IEnumerable<LmStudioRunner> runners)
    {
        ArgumentNullException.ThrowIfNull(runners);
        var byModel = new Dictionary<string, LmStudioRunner>(StringComparer.OrdinalIgnoreCase);
        foreach (var runner in runners) byModel.TryAdd(runner.Model, runner);
        return byModel;
    }

    public static LmStudioV0Model ToV0(CatalogModelInfo model, LmStudioRunner? runner)
    {
        ArgumentNullException.ThrowIfNull(model);
        var loaded = runner is { IsLoaded: true };
        return new LmStudioV0Model(
            model.Id,
            "model",
            Kind(model) switch { LmStudioModelKind.Embedding => "embeddings", LmStudioModelKind.Vlm => "vlm", _ => "llm" },
            Publisher(model.Id, model.Path),
            model.Facts?.Architecture,
            Format,
            Quantization(model.Facts),
            loaded ? "loaded" : "not-loaded",
            model.Facts?.ContextLength,
            loaded ? runner!.ContextLength : null,
            SupportsTools(model) ? ["tool_use"] : []);
    }

    public static LmStudioV1Model ToV1(CatalogModelInfo model, LmStudioRunner? runner)
    {
        ArgumentNullException.ThrowIfNull(model);
        var kind = Kind(model);
        var embedding = kind == LmStudioModelKind.Embedding;
        var facts = model.Facts;
        return new LmStudioV1Model(
            embedding ? "embedding" : "llm",
            Publisher(model.Id, model.Path),
            model.Id,
            string.IsNullOrWhiteSpace(facts?.Name) ? model.Id : facts.Name,
            embedding ? null : facts?.Architecture,
            Quantization(facts) is { } q ? new LmStudioV1Quantization(q, BitsPerWeight(q)) : null,
            model.SizeBytes,
            ParamsString(facts),
            runner is { IsLoaded: true } ? [new LmStudioV1Instance(model.Id, new LmStudioV1InstanceConfig(runner.ContextLength, runner.Parallel > 0 ? runner.Parallel : null))] : [],
            facts?.ContextLength,
            Format,
            embedding ? null : new LmStudioV1Capabilities(kind == LmStudioModelKind.Vlm, SupportsTools(model)));
    }

    /// <summary>The quantization's name, null when MetadataService could not tell it.</summary>
    public static string? Quantization(CatalogModelFacts? facts) => facts?.Quantization is { } q && q != "unknown" ? q : null;

    /// <summary>The nominal bits of a quantization name: Q4_K_M 4, IQ2_XXS 2, MXFP4_MOE 4, F16 and BF16 16, F32 32; null without a number.</summary>
    public static double? BitsPerWeight(string quantization)
    {
        ArgumentNullException.ThrowIfNull(quantization);
        var digits = FirstNumber().Match(quantization);
        return digits.Success ? double.Parse(digits.Value, CultureInfo.InvariantCulture) : null;
    }

    /// <summary>general.size_label when the file has one ("7B", "8x7B"), else the parameter count rounded as LM Studio shows it ("270M", "1.5B").</summary>
    public static string? ParamsString(CatalogModelFacts? facts)
    {
        if (!string.IsNullOrWhiteSpace(facts?.SizeLabel)) return facts.SizeLabel;
        return facts?.ParameterCount switch
        {
            null or <= 0 => null,
            >= 1_000_000_000 and var n => Scaled(n / 1e9, "B"),
            >= 1_000_000 and var n => Scaled(n / 1e6, "M"),
            >= 1_000 and var n => Scaled(n / 1e3, "K"),
            var n => n.Value.ToString(CultureInfo.InvariantCulture),
        };
    }

    private static string Scaled(double value, string suffix) =>
        (value >= 100 ? Math.Round(value) : Math.Round(value, 1)).ToString("0.#", CultureInfo.InvariantCulture) + suffix;

    [GeneratedRegex(@"\d+", RegexOptions.CultureInvariant)]
    private static partial Regex FirstNumber();
}
