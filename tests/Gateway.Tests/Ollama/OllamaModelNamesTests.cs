using LlamaAspire.Gateway.Ollama;

namespace LlamaAspire.Gateway.Tests.Ollama;

public sealed class OllamaModelNamesTests
{
    private static readonly CatalogEntry[] Catalog =
        [.. ((string[])["tiny-chat", "llama3.2:1b", "user/model:q4", "publisher/Some-Model"]).Select(id => new CatalogEntry(id, $"/m/{id}.gguf", 1, DateTimeOffset.UnixEpoch, null, null))];

    [Theory]
    [InlineData("tiny-chat", "tiny-chat:latest")]
    [InlineData("llama3.2:1b", "llama3.2:1b")]
    [InlineData("publisher/Some-Model", "publisher/Some-Model:latest")]
    [InlineData("host:5000/model", "host:5000/model:latest")]
    public void ToOllamaName_CatalogId_AddsLatestOnlyWithoutTag(string id, string expected) =>
        Assert.Equal(expected, OllamaModelNames.ToOllamaName(id));

    [Theory]
    [InlineData("tiny-chat", "tiny-chat")]
    [InlineData("tiny-chat:latest", "tiny-chat")]
    [InlineData("TINY-Chat:LATEST", "tiny-chat")]
    [InlineData(" tiny-chat ", "tiny-chat")]
    [InlineData("registry.ollama.ai/library/tiny-chat:latest", "tiny-chat")]
    [InlineData("library/tiny-chat", "tiny-chat")]
    [InlineData("llama3.2:1b", "llama3.2:1b")]
    [InlineData("Llama3.2:1B", "llama3.2:1b")]
    [InlineData("user/model:q4", "user/model:q4")]
    [InlineData("publisher/some-model:latest", "publisher/Some-Model")]
    public void Find_NameInAnySpelling_FindsCatalogEntry(string requested, string expected) =>
        Assert.Equal(expected, OllamaModelNames.Find(requested, Catalog)?.Id);

    [Theory]
    [InlineData("llama3.2")]
    [InlineData("llama3.2:latest")]
    [InlineData("tiny-chat:q8")]
    [InlineData("user/model")]
    [InlineData("other")]
    public void Find_OtherTagOrName_IsNull(string requested) =>
        Assert.Null(OllamaModelNames.Find(requested, Catalog));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("../secret")]
    [InlineData("a/../b")]
    [InlineData("./a")]
    [InlineData("/etc/passwd")]
    [InlineData("C:/models/x")]
    [InlineData("a\\b")]
    [InlineData("a\0b")]
    [InlineData("a//b")]
    [InlineData("model:")]
    [InlineData(":tag")]
    [InlineData("model:a:b")]
    public void Normalize_PathTrickOrMalformed_IsNull(string? requested) =>
        Assert.Null(OllamaModelNames.Normalize(requested));
}
