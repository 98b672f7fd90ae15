using LlamaAspire.MetadataService.Facts;
using LlamaAspire.MetadataService.Gguf;
using LlamaAspire.MetadataService.Tests.Support;
using LlamaAspire.TestSupport.Gguf;
using LlamaAspire.TestSupport.Models;

namespace LlamaAspire.MetadataService.Tests.Facts;

public sealed class ModelFactsBuilderTests
{
    private static ModelFacts FactsOf(GgufWriter writer, bool hasVisionProjector = false) =>
        ModelFactsBuilder.Build(Headers.Parse(writer, ModelFactsBuilder.ReadOptions), hasVisionProjector);

    private static GgufWriter Llama() => new GgufWriter().Add("general.architecture", "llama");

    [Fact]
    public void Build_TinyChatModel_GivesItsShapeAndCompletion()
    {
        var writer = TinyModels.CreateWriter(TinyModels.ChatOptions());

        var facts = FactsOf(writer);

        Assert.Equal("llama", facts.Architecture);
        Assert.Equal("tiny-llama-chat", facts.Name);
        Assert.Equal("tiny-llama", facts.Basename);
        Assert.Equal("300K", facts.SizeLabel);
        Assert.Equal(0u, facts.FileType);
        Assert.Equal("F32", facts.Quantization);
        Assert.Equal(4096, facts.ContextLength);
        Assert.Equal(64, facts.EmbeddingLength);
        Assert.Equal(2, facts.BlockCount);
        Assert.Equal(128, facts.FeedForwardLength);
        Assert.Equal(4, facts.HeadCount);
        Assert.Equal(4, facts.HeadCountKv);
        Assert.Equal(16, facts.RopeDimensionCount);
        Assert.Equal(10000.0, facts.RopeFreqBase);
        Assert.Equal(TinyVocabulary.Count, facts.VocabSize);
        Assert.Equal("llama", facts.TokenizerModel);
        Assert.Equal(TinyModels.ChatMlTemplate, facts.ChatTemplate);
        Assert.Equal(writer.Tensors.Sum(t => (long)t.ElementCount), facts.ParameterCount);
        Assert.Equal([ModelCapabilities.Completion], facts.Capabilities);
    }

    [Fact]
    public void Build_TinyEmbeddingModel_IsEmbeddingOnly()
    {
        var facts = FactsOf(TinyModels.CreateWriter(TinyModels.EmbeddingOptions()));

        Assert.Equal(TinyModels.MeanPooling, facts.PoolingType);
        Assert.Equal([ModelCapabilities.Embedding], facts.Capabilities);
    }

    [Fact]
    public void Build_PoolingTypeNone_StaysACompletionModel()
    {
        Assert.Equal([ModelCapabilities.Completion], FactsOf(Llama().Add("llama.pooling_type", 0u)).Capabilities);
    }

    [Theory]
    [InlineData("bert")]
    [InlineData("nomic-bert")]
    [InlineData("jina-bert-v2")]
    public void Build_EncoderArchitectureWithoutPooling_IsEmbedding(string architecture)
    {
        var facts = FactsOf(new GgufWriter().Add("general.architecture", architecture));

        Assert.Equal([ModelCapabilities.Embedding], facts.Capabilities);
    }

    [Fact]
    public void Build_ToolAndThinkingTemplateWithProjector_HasEveryChatCapability()
    {
        var template = "{% if tools %}{{ tools }}{% endif %}{{ '<think>' }}";

        var facts = FactsOf(Llama().Add("tokenizer.chat_template", template), hasVisionProjector: true);

        Assert.True(facts.TemplateSupportsTools);
        Assert.True(facts.TemplateSupportsThinking);
        Assert.Equal(
            [ModelCapabilities.Completion, ModelCapabilities.Tools, ModelCapabilities.Vision, ModelCapabilities.Thinking],
            facts.Capabilities);
    }

    [Fact]
    public void Build_FimTokenIds_AddInsert()
    {
        var writer = Llama().Add("tokenizer.ggml.fim_pre_token_id", 5u).Add("tokenizer.ggml.fim_suf_token_id", 6u).Add("tokenizer.ggml.fim_mid_token_id", 7u);

        Assert.Contains(ModelCapabilities.Insert, FactsOf(writer).Capabilities);
    }

    [Fact]
    public void Build_FimTokensInASkippedVocabulary_AddInsert()
    {
        var tokens = Enumerable.Range(0, 3000).Select(i => $"t{i}").Concat(["<|fim_prefix|>", "<|fim_suffix|>", "<|fim_middle|>"]).ToArray();

        Assert.Contains(ModelCapabilities.Insert, FactsOf(Llama().Add("tokenizer.ggml.tokens", tokens)).Capabilities);
    }

    [Fact]
    public void Build_FimTokensInAFullyReadVocabulary_AddInsert()
    {
        var header = Headers.Parse(Llama().Add("tokenizer.ggml.tokens", new[] { "a", "<fim_prefix>", "<fim_suffix>" }));

        Assert.Contains(ModelCapabilities.Insert, ModelFactsBuilder.Build(header).Capabilities);
    }

    [Fact]
    public void Build_OnlyAFimPrefix_HasNoInsert()
    {
        Assert.DoesNotContain(ModelCapabilities.Insert, FactsOf(Llama().Add("tokenizer.ggml.tokens", new[] { "<|fim_prefix|>" })).Capabilities);
    }

    [Fact]
    public void Build_ParameterCountKey_WinsOverTensorSum()
    {
        var writer = Llama().Add("general.parameter_count", 8_030_261_248UL).AddTensor("w", [4], new float[4]);

        Assert.Equal(8_030_261_248L, FactsOf(writer).ParameterCount);
    }

    [Fact]
    public void Build_NoFileType_UsesTheDominantQuantizedTensorType()
    {
        var writer = Llama()
            .AddTensor("norm", [4096], GgmlType.F32, [])
            .AddTensor("a", [4096, 4096], GgmlType.Q4_K, [])
            .AddTensor("b", [4096, 1024], GgmlType.Q6_K, []);

        var facts = FactsOf(writer);

        Assert.Null(facts.FileType);
        Assert.Equal("Q4_K", facts.Quantization);
    }

    [Fact]
    public void Build_FileType_WinsOverTensorTypes()
    {
        Assert.Equal("Q4_K_M", FactsOf(Llama().Add("general.file_type", 15u).AddTensor("a", [32], GgmlType.Q8_0, [])).Quantization);
    }

    [Fact]
    public void Build_NoFileTypeNorTensors_LeavesQuantizationAndParametersUnknown()
    {
        var facts = FactsOf(Llama());

        Assert.Null(facts.Quantization);
        Assert.Null(facts.ParameterCount);
    }

    [Fact]
    public void Build_PerLayerKvHeads_GivesTheLargest()
    {
        Assert.Equal(8, FactsOf(Llama().Add("llama.attention.head_count_kv", new[] { 0, 8, 4 })).HeadCountKv);
    }

    [Fact]
    public void Build_CountsStoredAsUInt64_AreRead()
    {
        var facts = FactsOf(Llama().Add("llama.context_length", 131072UL).Add("llama.rope.freq_base", 500000.0).Add("llama.rope.scaling.type", "yarn"));

        Assert.Equal(131072, facts.ContextLength);
        Assert.Equal(500000.0, facts.RopeFreqBase);
        Assert.Equal("yarn", facts.RopeScalingType);
    }

    [Fact]
    public void Build_NoVocabSizeKey_CountsTheSkippedTokens()
    {
        Assert.Equal(5000, FactsOf(Llama().Add("tokenizer.ggml.tokens", Enumerable.Range(0, 5000).Select(i => $"{i}").ToArray())).VocabSize);
    }
}
