using System.Net;

namespace LlamaAspire.RunnerAgent.Metadata;

/// <summary>The model facts RunnerAgent needs from MetadataService.</summary>
public sealed record ModelInfo(string Id, string Path, long SizeBytes);

public sealed class MetadataClient(HttpClient http)
{
    public async Task<ModelInfo?> FindAsync(string modelId, CancellationToken ct)
    {
        using var response = await http.GetAsync("/models/" + string.Join('/', modelId.Split('/').Select(Uri.EscapeDataString)), ct);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<ModelInfo>(ct);
    }
}
