using LlamaAspire.Gateway.Upstream;

namespace LlamaAspire.Gateway.OpenAi;

/// <summary>The catalog and the RunnerAgent's runners, as llama.cpp's router lists its models.</summary>
public static class RouterModels
{
    public const string Unloaded = "unloaded";
    public const string Loading = "loading";
    public const string Loaded = "loaded";

    /// <summary>
    /// A runner state as the router names it: a queued model is on its way in (the router would be loading it), and an
    /// unloading one still serves until its process has gone, as the router's child does until it exits.
    /// </summary>
    public static string StatusOf(string? runnerState) => runnerState switch
    {
        "queued" or "loading" => Loading,
        "ready" or "unloading" => Loaded,
        _ => Unloaded,
    };

    public static RouterModelList List(IEnumerable<CatalogModel> catalog, IEnumerable<RunnerStatus> runners, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(runners);
        var byModel = runners.GroupBy(r => r.Model, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        var created = now.ToUnixTimeSeconds();
        return new RouterModelList(
        [
            .. catalog.Select(model =>
            {
                var runner = byModel.GetValueOrDefault(model.Id);
                return new RouterModel(
                    model.Id, [], [], "model", "llamacpp", created,
                    new RouterModelStatus(StatusOf(runner?.State), runner?.Args ?? []),
                    new RouterArchitecture(["text"], ["text"]),
                    "models_dir", CanRemove: false);
            }),
        ]);
    }
}
