namespace LlamaAspire.Gateway.Upstream;

/// <summary>A model as MetadataService lists it; the Gateway reads only what it shows.</summary>
public sealed record CatalogModel(string Id, long SizeBytes, DateTimeOffset ModifiedAt);

public sealed class MetadataClient(HttpClient http)
{
    public async Task<IReadOnlyList<CatalogModel>> ListModelsAsync(CancellationToken ct) =>
        await http.GetFromJsonAsync<List<CatalogModel>>("/models", ct) ?? [];
}
