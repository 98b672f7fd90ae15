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
/// Looks models up in MetadataService. Found models are remembered for <see cref="CacheLifetime"/>: every request
/// asks, and the catalog itself only changes within its 5 s rescan. Unknown names are never remembered.
/// </summary>
public sealed class MetadataClient(HttpClient http, TimeProvider? time = null)
{
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(2);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, (ModelInfo Model, DateTimeOffset FetchedAt)> _found = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The model, or null when MetadataService does not know it.</summary>
    /// <exception cref="MetadataLookupException">The service is unreachable or rejected the model (e.g. 422: not a readable GGUF).</exception>
    public async Task<ModelInfo?> FindAsync(string modelId, CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        if (_found.TryGetValue(modelId, out var cached) && now - cached.FetchedAt < CacheLifetime) return cached.Model;
        var model = await FetchAsync(modelId, ct);
        if (model is null) _found.TryRemove(modelId, out _);
        else _found[modelId] = (model, now);
        return model;
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
