using System.Net;
using System.Text.Json;
using LlamaAspire.Gateway.Upstream;
using Polly;

namespace LlamaAspire.Gateway.Ollama;

/// <summary>
/// MetadataService as the Ollama surface needs it: the list with digests and facts (aliases included, as entries of
/// their own), one model's key/values, and the alias and delete calls behind /api/copy and /api/delete.
/// </summary>
public sealed partial class OllamaCatalogClient(HttpClient http, ILogger<OllamaCatalogClient> logger)
{
    /// <exception cref="MetadataUnavailableException">MetadataService was unreachable, failed, timed out or sent no valid list.</exception>
    public async Task<IReadOnlyList<CatalogEntry>> ListAsync(CancellationToken ct)
    {
        var models = await GetListAsync<CatalogEntry>("/models", ct);
        var aliases = await ListAliasesAsync(ct);
        if (aliases.Count == 0) return models;
        var byId = models.ToDictionary(m => m.Id, StringComparer.OrdinalIgnoreCase);
        return [.. models, .. aliases.Where(a => byId.ContainsKey(a.Target))
            .Select(a => byId[a.Target] with { Id = a.Name, ModifiedAt = a.CreatedAt, AliasOf = byId[a.Target].Id })];
    }

    /// <exception cref="MetadataUnavailableException">MetadataService was unreachable, failed or timed out.</exception>
    public Task<IReadOnlyList<CatalogAlias>> ListAliasesAsync(CancellationToken ct) => GetListAsync<CatalogAlias>("/aliases", ct);

    /// <summary>Creates or retargets an alias; null on success, else MetadataService's status and message.</summary>
    /// <exception cref="MetadataUnavailableException">MetadataService was unreachable, failed or timed out.</exception>
    public Task<CatalogRefusal?> SetAliasAsync(string name, string target, CancellationToken ct) =>
        SendAsync(HttpMethod.Put, "/aliases/" + EscapePath(name), JsonContent.Create(new { target }), ct);

    /// <inheritdoc cref="SetAliasAsync"/>
    public Task<CatalogRefusal?> RemoveAliasAsync(string name, CancellationToken ct) => SendAsync(HttpMethod.Delete, "/aliases/" + EscapePath(name), null, ct);

    /// <summary>Deletes a model's files, which MetadataService allows only when configured to.</summary>
    /// <inheritdoc cref="SetAliasAsync"/>
    public Task<CatalogRefusal?> DeleteModelAsync(string id, CancellationToken ct) => SendAsync(HttpMethod.Delete, "/models/" + EscapePath(id), null, ct);

    /// <summary>The model's details, or null when MetadataService no longer knows it; <paramref name="full"/> asks for whole arrays.</summary>
    /// <exception cref="MetadataUnavailableException">MetadataService was unreachable, failed or could not read the file.</exception>
    public async Task<CatalogModelDetails?> GetAsync(string id, bool full, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(id);
        var path = "/models/" + EscapePath(id) + (full ? "?full=true" : "");
        try
        {
            using var response = await http.GetAsync(new Uri(path, UriKind.Relative), ct);
            if (response.StatusCode == HttpStatusCode.NotFound) return null;
            response.EnsureSuccessStatusCode();
            return await response.Content.ReadFromJsonAsync<CatalogModelDetails>(ct);
        }
        catch (Exception e) when (IsUnavailable(e, ct))
        {
            LogUnavailable(logger, path, e);
            throw new MetadataUnavailableException($"MetadataService did not describe model '{id}'.", e);
        }
    }

    private async Task<IReadOnlyList<T>> GetListAsync<T>(string path, CancellationToken ct)
    {
        try
        {
            return await http.GetFromJsonAsync<List<T>>(path, ct) ?? [];
        }
        catch (Exception e) when (IsUnavailable(e, ct))
        {
            LogUnavailable(logger, path, e);
            throw new MetadataUnavailableException($"MetadataService did not answer GET {path}.", e);
        }
    }

    private async Task<CatalogRefusal?> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken ct)
    {
        try
        {
            using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content };
            using var response = await http.SendAsync(request, ct);
            if (response.IsSuccessStatusCode) return null;
            var error = await response.Content.ReadFromJsonAsync<CatalogErrorBody>(ct);
            return new CatalogRefusal((int)response.StatusCode, error?.Error ?? $"MetadataService answered {(int)response.StatusCode}");
        }
        catch (Exception e) when (IsUnavailable(e, ct))
        {
            LogUnavailable(logger, path, e);
            throw new MetadataUnavailableException($"MetadataService did not answer {method} {path}.", e);
        }
    }

    // Ids and names may hold '/', which MetadataService's catch-all routes keep; the other characters are escaped per segment.
    private static string EscapePath(string id) => string.Join('/', id.Split('/').Select(Uri.EscapeDataString));

    private sealed record CatalogErrorBody(string? Error);

    private static bool IsUnavailable(Exception e, CancellationToken ct) =>
        e is HttpRequestException or JsonException or ExecutionRejectedException || (e is OperationCanceledException && !ct.IsCancellationRequested);

    [LoggerMessage(1200, LogLevel.Warning, "MetadataService did not answer {Path}.")]
    private static partial void LogUnavailable(ILogger logger, string path, Exception exception);
}

/// <summary>MetadataService refused an alias or delete call: its status (400, 403, 404, 409, 500) and message.</summary>
public sealed record CatalogRefusal(int Status, string Message);
