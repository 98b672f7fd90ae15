using System.Net;
using System.Text.Json;
using LlamaAspire.Gateway.Upstream;
using Polly;

namespace LlamaAspire.Gateway.Ollama;

/// <summary>MetadataService as the Ollama surface needs it: the list with digests and facts, and one model's key/values.</summary>
public sealed partial class OllamaCatalogClient(HttpClient http, ILogger<OllamaCatalogClient> logger)
{
    /// <exception cref="MetadataUnavailableException">MetadataService was unreachable, failed, timed out or sent no valid list.</exception>
    public async Task<IReadOnlyList<CatalogEntry>> ListAsync(CancellationToken ct)
    {
        try
        {
            return await http.GetFromJsonAsync<List<CatalogEntry>>("/models", ct) ?? [];
        }
        catch (Exception e) when (IsUnavailable(e, ct))
        {
            LogUnavailable(logger, "/models", e);
            throw new MetadataUnavailableException("MetadataService did not return the model list.", e);
        }
    }

    /// <summary>The model's details, or null when MetadataService no longer knows it; <paramref name="full"/> asks for whole arrays.</summary>
    /// <exception cref="MetadataUnavailableException">MetadataService was unreachable, failed or could not read the file.</exception>
    public async Task<CatalogModelDetails?> GetAsync(string id, bool full, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(id);
        // Ids may hold '/', which MetadataService's catch-all route keeps; the other characters are escaped per segment.
        var path = "/models/" + string.Join('/', id.Split('/').Select(Uri.EscapeDataString)) + (full ? "?full=true" : "");
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

    private static bool IsUnavailable(Exception e, CancellationToken ct) =>
        e is HttpRequestException or JsonException or ExecutionRejectedException || (e is OperationCanceledException && !ct.IsCancellationRequested);

    [LoggerMessage(1200, LogLevel.Warning, "MetadataService did not answer GET {Path}.")]
    private static partial void LogUnavailable(ILogger logger, string path, Exception exception);
}
