namespace LlamaAspire.Dashboard.Upstream;

public sealed record CatalogModel(string Id, string Path, long SizeBytes, DateTimeOffset ModifiedAt, int ShardCount);

public sealed class MetadataClient(HttpClient http)
{
    public async Task<IReadOnlyList<CatalogModel>> ListModelsAsync(CancellationToken ct) =>
        await http.GetFromJsonAsync<List<CatalogModel>>("/models", ct) ?? [];
}
