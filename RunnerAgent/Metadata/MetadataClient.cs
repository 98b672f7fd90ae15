using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;

namespace LlamaAspire.RunnerAgent.Metadata;

/// <summary>
/// The model facts RunnerAgent needs from MetadataService; <paramref name="Facts"/> may be absent.
/// <paramref name="ProjectorPath"/> is the vision projector (mmproj) that belongs to the model, if any.
/// </summary>
public sealed record ModelInfo(string Id, string Path, long SizeBytes, ModelFacts? Facts = null, string? ProjectorPath = null)
{
    /// <summary>An embedding model: llama-server must start with --embeddings.</summary>
    public bool IsEmbedding => Facts?.Capabilities?.Contains(ModelFacts.EmbeddingCapability, StringComparer.OrdinalIgnoreCase) == true;
}

/// <summary>The part of MetadataService's derived facts RunnerAgent reads: capabilities (Ollama's names) and the shape for memory estimates.</summary>
public sealed record ModelFacts(
    IReadOnlyList<string>? Capabilities,
    long? ContextLength = null,
    long? BlockCount = null,
    long? EmbeddingLength = null,
    long? HeadCount = null,
    long? HeadCountKv = null)
{
    public const string EmbeddingCapability = "embedding";
}

/// <summary>MetadataService could not answer, or said the model's file is unusable; the message says which.</summary>
public sealed class MetadataLookupException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Looks models up in MetadataService. Every lease asks, so a found model is remembered: for
/// <see cref="CacheLifetime"/> it is simply used; until <see cref="MaxStaleness"/> it is still used while a fresh copy
/// is fetched in the background, so a lease never waits on MetadataService for a model it knows; after that the
/// lookup waits for a fresh copy. The catalog itself only changes within its 5 s rescan. Unknown names are never
/// remembered.
/// </summary>
public sealed class MetadataClient(HttpClient http, TimeProvider? time = null)
{
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(2);

    public static readonly TimeSpan MaxStaleness = TimeSpan.FromSeconds(30);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, (ModelInfo Model, DateTimeOffset FetchedAt)> _found = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, bool> _refreshing = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The model, or null when MetadataService does not know it.</summary>
    /// <exception cref="MetadataLookupException">The service is unreachable or rejected the model (e.g. 422: not a readable GGUF).</exception>
    public async Task<ModelInfo?> FindAsync(string modelId, CancellationToken ct)
    {
        if (_found.TryGetValue(modelId, out var cached))
        {
            var age = _time.GetUtcNow() - cached.FetchedAt;
            if (age < CacheLifetime) return cached.Model;
            if (age < MaxStaleness)
            {
                RefreshInBackground(modelId);
                return cached.Model;
            }
        }

        return await FetchAndRememberAsync(modelId, ct);
    }

    private async Task<ModelInfo?> FetchAndRememberAsync(string modelId, CancellationToken ct)
    {
        var fetchedAt = _time.GetUtcNow();
        var model = await FetchAsync(modelId, ct);
        if (model is null) _found.TryRemove(modelId, out _);
        else _found[modelId] = (model, fetchedAt);
        return model;
    }

    /// <summary>One refresh per model at a time; a failed one keeps the known copy until it is too stale to use.</summary>
    private void RefreshInBackground(string modelId)
    {
        if (!_refreshing.TryAdd(modelId, true)) return;
        _ = Task.Run(async () =>
        {
            try
            {
                await FetchAndRememberAsync(modelId, CancellationToken.None);
            }
            catch (MetadataLookupException)
            {
                // Keep the known copy; the next lookup tries again.
            }
            finally
            {
                _refreshing.TryRemove(modelId, out _);
            }
        });
    }

    private async Task<ModelInfo?> FetchAsync(string modelId, CancellationToken ct)
    {
        try
        {
            using var response = await http.GetAsync("/models/" + string.Join('/', modelId.Split('/').Select(Uri.EscapeDataString)), ct);
            if (response.StatusCode == HttpStatusCode.NotFound) return null;
            if (!response.IsSuccessStatusCode)
                throw new MetadataLookupException(await ErrorTextAsync(response, ct) ?? $"MetadataService answered {(int)response.StatusCode} for '{modelId}'");
            return await response.Content.ReadFromJsonAsync<ModelInfo>(ct);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException || (e is TaskCanceledException && !ct.IsCancellationRequested))
        {
            throw new MetadataLookupException($"the model catalog (MetadataService) is unavailable: {e.Message}", e);
        }
    }

    private static async Task<string?> ErrorTextAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            return body.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String ? error.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
