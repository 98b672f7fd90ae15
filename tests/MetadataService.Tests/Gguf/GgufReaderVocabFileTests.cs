using LlamaAspire.MetadataService.Facts;
using LlamaAspire.MetadataService.Gguf;

namespace LlamaAspire.MetadataService.Tests.Gguf;

/// <summary>Real files written by llama.cpp's tools.</summary>
public sealed class GgufReaderVocabFileTests
{
    [Theory]
    [InlineData("ggml-vocab-llama-spm.gguf", "llama", "llama")]
    [InlineData("ggml-vocab-llama-bpe.gguf", "gpt2", "llama")]
    [InlineData("ggml-vocab-bert-bge.gguf", "bert", "bert")]
    [InlineData("ggml-vocab-gpt-2.gguf", "gpt2", "gpt2")]
    [InlineData("ggml-vocab-qwen2.gguf", "gpt2", "qwen2")]
    [InlineData("ggml-vocab-phi-3.gguf", "llama", "phi3")]
    public async Task ReadFile_VocabFile_HasItsTokenizerModelAndArchitecture(string file, string tokenizerModel, string architecture)
    {
        var header = GgufReader.ReadFile(await VocabFiles.PathOfAsync(file));

        Assert.Equal(tokenizerModel, header.GetString("tokenizer.ggml.model"));
        Assert.Equal(architecture, header.GetString("general.architecture"));
        Assert.Empty(header.Tensors);
    }

    [Fact]
    public async Task ReadFile_LlamaBpeFully_ReadsAllTokensAndMerges()
    {
        var header = GgufReader.ReadFile(await VocabFiles.PathOfAsync("ggml-vocab-llama-bpe.gguf"), GgufReadOptions.Full);

        var tokens = (string[])header.GetArray("tokenizer.ggml.tokens")!.Values!;
        Assert.Equal(128256, tokens.Length);
        Assert.Equal("<|begin_of_text|>", tokens[128000]);
        Assert.Equal(GgufValueType.String, header.GetArray("tokenizer.ggml.merges")!.ElementType);
        Assert.True(header.GetArray("tokenizer.ggml.merges")!.Count > 200_000);
        Assert.Equal(tokens.Length, ((int[])header.GetArray("tokenizer.ggml.token_type")!.Values!).Length);
    }

    [Fact]
    public async Task ReadFile_EveryVocabFile_SkippedAndFullAgreeOnKeysTypesAndCounts()
    {
        var files = await VocabFiles.AllAsync();
        Assert.NotEmpty(files);

        foreach (var file in files)
        {
            var skipped = GgufReader.ReadFile(file);
            var full = GgufReader.ReadFile(file, GgufReadOptions.Full);

            Assert.Equal(full.Metadata.Select(e => (e.Key, e.Type)), skipped.Metadata.Select(e => (e.Key, e.Type)));
            Assert.InRange(full.Version, 2u, 3u);
            var tokens = full.GetArray("tokenizer.ggml.tokens")!;
            Assert.Equal(tokens.Count, ((string[])tokens.Values!).Length);
            Assert.Equal(tokens.Count, skipped.GetArray("tokenizer.ggml.tokens")!.Count);
            foreach (var perToken in new[] { "tokenizer.ggml.scores", "tokenizer.ggml.token_type" })
            {
                if (full.GetArray(perToken) is { } array) Assert.Equal(tokens.Count, array.Values!.Length);
            }

            Assert.Equal(tokens.Count, ModelFactsBuilder.Build(skipped).VocabSize ?? tokens.Count);
            Assert.NotNull(full.GetString("tokenizer.ggml.model"));
        }
    }

    [Fact]
    public async Task Build_BertVocab_IsAnEmbeddingModel()
    {
        var header = GgufReader.ReadFile(await VocabFiles.PathOfAsync("ggml-vocab-bert-bge.gguf"), ModelFactsBuilder.ReadOptions);

        Assert.Equal([ModelCapabilities.Embedding], ModelFactsBuilder.Build(header).Capabilities);
    }

    [Fact]
    public async Task Build_StarcoderVocab_FindsFimTokensWithoutReadingTheVocabulary()
    {
        var header = GgufReader.ReadFile(await VocabFiles.PathOfAsync("ggml-vocab-starcoder.gguf"), ModelFactsBuilder.ReadOptions);

        Assert.True(header.GetArray("tokenizer.ggml.tokens")!.IsSkipped);
        Assert.Contains(ModelCapabilities.Insert, ModelFactsBuilder.Build(header).Capabilities);
    }
}
