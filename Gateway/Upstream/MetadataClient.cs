using System.Text.Json;
using Polly;

namespace LlamaAspire.Gateway.Upstream;

/// <summary>A model as MetadataService lists it; the Gateway reads only what it shows.</summary>
public sealed record CatalogModel(string Id, long SizeBytes, DateTimeOffset ModifiedAt);

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

    [LoggerMessage(1000, LogLevel.Warning, "MetadataService did not return the model list.")]
    private static partial void LogUnavailable(ILogger logger, Exception exception);
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
