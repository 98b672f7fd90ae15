using LlamaAspire.Gateway.Upstream;
using Microsoft.Extensions.Options;

namespace LlamaAspire.Gateway.Ollama;

/// <summary>The Ollama endpoints about models rather than inference: version, tags, show, ps, pull and the unsupported management calls.</summary>
public static class OllamaModelsApi
{
    public const string ModelRequired = "model is required";
    public const string CatalogUnavailable = "the model catalog (MetadataService) is unavailable";

    public static RouteGroupBuilder MapOllamaModelsApi(this RouteGroupBuilder ollama)
    {
        ArgumentNullException.ThrowIfNull(ollama);
        ollama.MapMethods("/api/version", [HttpMethods.Get, HttpMethods.Head], GetVersion).WithName("Ollama.Version");
        ollama.MapMethods("/api/tags", [HttpMethods.Get, HttpMethods.Head], ListTagsAsync).WithName("Ollama.Tags");
        ollama.MapPost("/api/show", ShowAsync).WithName("Ollama.Show");
        ollama.MapGet("/api/ps", ListRunningAsync).WithName("Ollama.Ps");
        ollama.MapPost("/api/pull", PullAsync).WithName("Ollama.Pull");
        ollama.MapPost("/api/push", NotImplemented).WithName("Ollama.Push");
        ollama.MapPost("/api/create", NotImplemented).WithName("Ollama.Create");
        ollama.MapOllamaCopyDeleteApi();
        ollama.MapMethods("/api/blobs/{digest}", [HttpMethods.Head, HttpMethods.Post], NotImplemented).WithName("Ollama.Blobs");
        foreach (var path in (string[])["/api/version", "/api/tags", "/api/show", "/api/ps", "/api/pull", "/api/push", "/api/create", "/api/copy", "/api/delete", "/api/blobs/{digest}"])
            ollama.MapMethodNotAllowed(path);
        return ollama;
    }

    public static IResult GetVersion(IOptions<OllamaOptions> options) => TypedResults.Ok(new OllamaVersion(options.Value.Version));

    public static async Task<IResult> ListTagsAsync(OllamaCatalogClient catalog, TimeProvider time, CancellationToken ct)
    {
        try
        {
            return TypedResults.Ok(OllamaTags.From(await catalog.ListAsync(ct), time.LocalTimeZone));
        }
        catch (MetadataUnavailableException)
        {
            return OllamaRequest.Error(StatusCodes.Status503ServiceUnavailable, CatalogUnavailable);
        }
    }

    public static async Task<IResult> ShowAsync(HttpRequest request, OllamaCatalogClient catalog, IOptions<GatewayOptions> options, TimeProvider time, CancellationToken ct)
    {
        var (body, error) = await OllamaRequest.ReadAsync<OllamaShowRequest>(request, options.Value.MaxRequestBodyBytes, ct);
        if (error is not null) return error;
        var requested = string.IsNullOrEmpty(body!.Model) ? body.Name : body.Model;
        try
        {
            var (entry, refusal) = await ResolveAsync(requested, catalog, ct);
            if (refusal is not null) return refusal;
            var verbose = body.Verbose == true;
            return await catalog.GetAsync(entry!.CatalogId, full: verbose, ct) is { } model
                ? TypedResults.Ok(OllamaShow.From(model, verbose, time.LocalTimeZone))
                : ModelNotFound(requested!);
        }
        catch (MetadataUnavailableException)
        {
            return OllamaRequest.Error(StatusCodes.Status503ServiceUnavailable, CatalogUnavailable);
        }
    }

    public static async Task<IResult> ListRunningAsync(RunnerAgentClient agent, OllamaCatalogClient catalog, TimeProvider time, CancellationToken ct)
    {
        try
        {
            var runners = await agent.ListRunnersAsync(ct);
            var entries = runners.Count == 0 ? [] : await catalog.ListAsync(ct);
            return TypedResults.Ok(OllamaProcesses.From(runners, entries, time.GetUtcNow(), time.LocalTimeZone));
        }
        catch (HttpRequestException)
        {
            return OllamaRequest.Error(StatusCodes.Status503ServiceUnavailable, "the runner agent is unavailable");
        }
        catch (MetadataUnavailableException)
        {
            return OllamaRequest.Error(StatusCodes.Status503ServiceUnavailable, CatalogUnavailable);
        }
    }

    /// <summary>
    /// This gateway cannot download yet: a model it already has "pulls" at once (so clients that pull before use go on),
    /// any other is a 404 naming the reason, before any byte of a stream.
    /// </summary>
    public static async Task<IResult> PullAsync(HttpRequest request, OllamaCatalogClient catalog, IOptions<GatewayOptions> options, CancellationToken ct)
    {
        var (body, error) = await OllamaRequest.ReadAsync<OllamaPullRequest>(request, options.Value.MaxRequestBodyBytes, ct);
        if (error is not null) return error;
        var requested = string.IsNullOrEmpty(body!.Model) ? body.Name : body.Model;
        try
        {
            var (_, refusal) = await ResolveAsync(requested, catalog, ct, notFound: name =>
                OllamaRequest.Error(StatusCodes.Status404NotFound,
                    $"pull model manifest: file does not exist (model '{name}' is not in this gateway's model folders, and it cannot download models)"));
            if (refusal is not null) return refusal;
        }
        catch (MetadataUnavailableException)
        {
            return OllamaRequest.Error(StatusCodes.Status503ServiceUnavailable, CatalogUnavailable);
        }
        return body.Stream == false
            ? TypedResults.Ok(new OllamaProgress("success"))
            : new OllamaNdjsonResult([new OllamaProgress("pulling manifest"), new OllamaProgress("success")]);
    }

    public static IResult NotImplemented(HttpRequest request) =>
        OllamaRequest.Error(StatusCodes.Status501NotImplemented,
            $"{request.Method} {request.Path} is not implemented by this gateway: it serves the GGUF files in its model folders and does not create or push models");

    /// <summary>The catalog entry (model or alias) for a requested name, or the Ollama error: 400 when missing or invalid, 404 when unknown.</summary>
    private static async Task<(CatalogEntry? Entry, IResult? Refusal)> ResolveAsync(
        string? requested, OllamaCatalogClient catalog, CancellationToken ct, Func<string, IResult>? notFound = null)
    {
        if (string.IsNullOrWhiteSpace(requested)) return (null, OllamaRequest.Error(StatusCodes.Status400BadRequest, ModelRequired));
        if (OllamaModelNames.Normalize(requested) is null) return (null, OllamaRequest.Error(StatusCodes.Status400BadRequest, OllamaModelNames.InvalidName));
        var entries = await catalog.ListAsync(ct);
        return OllamaModelNames.Find(requested, entries) is { } entry
            ? (entry, null)
            : (null, (notFound ?? ModelNotFound)(requested));
    }

    /// <summary>Ollama's exact wording (protocols.md §1.8): the name as the client sent it, in single quotes.</summary>
    private static IResult ModelNotFound(string requested) => OllamaRequest.Error(StatusCodes.Status404NotFound, $"model '{requested}' not found");
}
