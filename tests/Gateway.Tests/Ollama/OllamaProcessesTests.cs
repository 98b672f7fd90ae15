using LlamaAspire.Gateway.Ollama;
using LlamaAspire.Gateway.Upstream;

namespace LlamaAspire.Gateway.Tests.Ollama;

public sealed class OllamaProcessesTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly CatalogEntry Tiny = new("tiny", "/m/tiny.gguf", 100, Now, "sha256:" + new string('c', 64),
        new CatalogFacts("llama", 1_100_000_000, "Q4_0", 2048, 64, null, ["completion"]));

    [Fact]
    public void From_Runners_ListsLoadingAndReadyOnlyNewestExpiryFirst()
    {
        RunnerStatus[] runners =
        [
            new("tiny", "ready", 2048, Now.AddMinutes(5), 500, 400),
            new("queued-one", "queued", 2048, null, 500, null),
            new("leaving", "unloading", 2048, null, 500, null),
            new("busy", "ready", 4096, null, 700, null),
            new("warming", "Loading", 1024, null, 900, null),
        ];

        var list = OllamaProcesses.From(runners, [Tiny], Now, TimeZoneInfo.Utc);

        Assert.Equal(["busy:latest", "warming:latest", "tiny:latest"], list.Models.Select(m => m.Name));
        Assert.Equal("2026-06-01T12:05:00Z", list.Models[2].ExpiresAt);
        Assert.StartsWith("2318-", list.Models[0].ExpiresAt, StringComparison.Ordinal);
    }

    [Fact]
    public void ToProcessModel_CatalogModel_CarriesEstimateDigestDetailsAndContext()
    {
        var model = OllamaProcesses.ToProcessModel(new("TINY", "ready", 2048, null, 500, 400), Tiny, Now, TimeZoneInfo.Utc);

        // Details holds a list, compared by reference in record equality, so it is checked on its own.
        Assert.Equal(new OllamaProcessModel("tiny:latest", "tiny:latest", 500, new string('c', 64), model.Details, "2026-06-01T12:00:00Z", 0, 2048), model);
        Assert.Equal(("llama", "1.1B", "Q4_0"), (model.Details.Family, model.Details.ParameterSize, model.Details.QuantizationLevel));
    }

    [Fact]
    public void ToProcessModel_NotInCatalog_StillHas64HexDigestAndEmptyDetails()
    {
        var model = OllamaProcesses.ToProcessModel(new("gone", "ready", 2048, null, 0, 321), null, Now, TimeZoneInfo.Utc);

        Assert.Matches("^[0-9a-f]{64}$", model.Digest);
        Assert.Equal(321, model.Size);
        Assert.Equal("", model.Details.Family);
        Assert.Empty(model.Details.Families);
    }
}
