using System.Net;
using System.Text.Json;
using Polly;

namespace LlamaAspire.Gateway.Upstream;

/// <summary>A model as MetadataService lists it; the Gateway reads only what it shows.</summary>
public sealed record CatalogModel(string Id, long SizeBytes, DateTimeOffset ModifiedAt);

/// <summary>
/// A model with the facts MetadataService derives from its GGUF header (<see cref="Facts"/> is null when the header is
/// unreadable); <see cref="ProjectorPath"/> is its vision projector, if one belongs to it.
/// </summary>
public sealed record CatalogModelInfo(string Id, string Path, long SizeBytes, DateTimeOffset ModifiedAt, CatalogModelFacts? Facts, string? ProjectorPath);

/// <summary>MetadataService's facts as the Gateway reads them; <see cref="Capabilities"/> uses Ollama's names (completion, embedding, tools, vision…).</summary>
public sealed record CatalogModelFacts(
    string? Architecture,
    string? Name,
    string? SizeLabel,
    long? ParameterCount,
    string? Quantization,
    long? ContextLength,
    bool TemplateSupportsTools,
    IReadOnlyList<string>? Capabilities);

public sealed partial class MetadataClient(HttpClient http, ILogger<MetadataClient> logger)
{
    /// <exception cref="MetadataUnavailableException">MetadataService was unreachable, failed, timed out or sent no valid list.</exception>
    public async Task<IReadOnlyList<CatalogModel>> ListModelsAsync(CancellationToken ct)
    {
        try
        {
            return await http.GetFromJsonAsync<List<CatalogModel>>("/models", ct) ?? [];
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or ExecutionRejectedException
            || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            LogUnavailable(logger, e);
            throw new MetadataUnavailableException("MetadataService did not return the model list.", e);
        }
    }

    /// <summary>Every model with its facts (GET /models).</summary>
    /// <exception cref="MetadataUnavailableException">MetadataService was unreachable, failed, timed out or sent no valid list.</exception>
    public async Task<IReadOnlyList<CatalogModelInfo>> ListModelInfosAsync(CancellationToken ct)
    {
        try
        {
            return await http.GetFromJsonAsync<List<CatalogModelInfo>>("/models", ct) ?? [];
        }
        catch (Exception e) when (IsUnavailable(e, ct))
        {
            LogUnavailable(logger, e);
            throw new MetadataUnavailableException("MetadataService did not return the model list.", e);
        }
    }

    /// <summary>One model with its facts (GET /models/{id}, looked up case-insensitively), or null when MetadataService does not know it.</summary>
    /// <exception cref="MetadataUnavailableException">MetadataService was unreachable, failed or could not read the file.</exception>
    public async Task<CatalogModelInfo?> GetModelInfoAsync(string id, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(id);
        // Ids may hold '/', which MetadataService's catch-all route keeps; the other characters are escaped per segment.
        var path = "/models/" + string.Join('/', id.Split('/').Select(Uri.EscapeDataString));
        try
        {
            using var response = await http.GetAsync(new Uri(path, UriKind.Relative), ct);
            if (response.StatusCode == HttpStatusCode.NotFound) return null;
            response.EnsureSuccessStatusCode();
            return await response.Content.ReadFromJsonAsync<CatalogModelInfo>(ct);
        }
        catch (Exception e) when (IsUnavailable(e, ct))
        {
            LogModelUnavailable(logger, id, e);
            throw new MetadataUnavailableException($"MetadataService did not describe model '{id}'.", e);
        }
    }

    private static bool IsUnavailable(Exception e, CancellationToken ct) =>
        e is HttpRequestException or JsonException or ExecutionRejectedException || (e is OperationCanceledException && !ct.IsCancellationRequested);

    [LoggerMessage(1000, LogLevel.Warning, "MetadataService did not return the model list.")]
    private static partial void LogUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(1001, LogLevel.Warning, "MetadataService did not describe model {Model}.")]
    private static partial void LogModelUnavailable(ILogger logger, string model, Exception exception);
}

/// <summary>MetadataService gave no usable answer; each API turns this into its own error shape, never a bare 500.</summary>
public sealed class MetadataUnavailableException : Exception
{
    public MetadataUnavailableException()
    {
    }

    public MetadataUnavailableException(string message)
        : base(message)
    {
    }

    public MetadataUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
