using System.Security.Cryptography;
using LlamaAspire.TestSupport.Gguf;
using LlamaAspire.TestSupport.Models;
using LlamaAspire.TestSupport.Tests.Gguf;

namespace LlamaAspire.TestSupport.Tests.Models;

public sealed class TinyModelsTests(ITestOutputHelper output)
{
    [Fact]
    public void WriteChatModel_Defaults_IsAboutHalfAMegabyte()
    {
        using var dir = new TempDirectory("tiny");

        var chat = new FileInfo(TinyModels.WriteChatModel(dir.Combine("chat.gguf")));
        var embed = new FileInfo(TinyModels.WriteEmbeddingModel(dir.Combine("embed.gguf")));

        output.WriteLine($"chat model {chat.Length} bytes, embedding model {embed.Length} bytes");
        Assert.InRange(chat.Length, 400_000, 700_000);
        Assert.InRange(embed.Length, 400_000, 700_000);
    }

    [Fact]
    public void CreateWriter_SameSeed_SameBytes_OtherSeed_OtherBytes()
    {
        var a = Hash(TinyModels.ChatOptions(seed: 7));
        var b = Hash(TinyModels.ChatOptions(seed: 7));
        var c = Hash(TinyModels.ChatOptions(seed: 8));

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void CreateWriter_ChatModel_HasLlamaMetadataAndTensorShapes()
    {
        var read = MiniGgufReader.Read(TinyModels.CreateWriter(TinyModels.ChatOptions("probe")).ToArray());
        var vocab = (ulong)TinyVocabulary.Count;

        Assert.Equal("llama", read.Metadata["general.architecture"]);
        Assert.Equal("probe", read.Metadata["general.name"]);
        Assert.Equal(0u, read.Metadata["general.file_type"]);
        Assert.Equal(64u, read.Metadata["llama.embedding_length"]);
        Assert.Equal(2u, read.Metadata["llama.block_count"]);
        Assert.Equal(4u, read.Metadata["llama.attention.head_count_kv"]);
        Assert.False(read.Metadata.ContainsKey("llama.pooling_type"));
        Assert.Equal("llama", read.Metadata["tokenizer.ggml.model"]);
        var tokens = Assert.IsType<object[]>(read.Metadata["tokenizer.ggml.tokens"]);
        var types = Assert.IsType<object[]>(read.Metadata["tokenizer.ggml.token_type"]);
        Assert.Equal("<0x0A>", tokens[TinyVocabulary.FirstByteId + 10]);
        Assert.Equal(TinyVocabulary.TypeByte, types[TinyVocabulary.FirstByteId + 10]);
        Assert.Equal(TinyVocabulary.TypeControl, types[TinyVocabulary.EosId]);
        Assert.Equal(tokens.Length, tokens.Distinct().Count());
        Assert.Contains("im_start", (string)read.Metadata["tokenizer.chat_template"], StringComparison.Ordinal);

        var shapes = read.Tensors.ToDictionary(t => t.Name, t => t.Dims);
        Assert.Equal(3 + (2 * 9), shapes.Count);
        Assert.Equal(new[] { 64ul, vocab }, shapes["token_embd.weight"]);
        Assert.Equal(new[] { 64ul, vocab }, shapes["output.weight"]);
        Assert.Equal(new[] { 64ul, 64ul }, shapes["blk.1.attn_k.weight"]);
        Assert.Equal(new[] { 64ul, 128ul }, shapes["blk.1.ffn_up.weight"]);
        Assert.Equal(new[] { 128ul, 64ul }, shapes["blk.1.ffn_down.weight"]);
        Assert.All(read.Tensors, t => Assert.Equal(GgmlType.F32, t.Type));
    }

    [Fact]
    public void EmbeddingOptions_Default_SetsMeanPooling()
    {
        var read = MiniGgufReader.Read(TinyModels.CreateWriter(TinyModels.EmbeddingOptions()).ToArray());

        Assert.Equal(1u, read.Metadata["llama.pooling_type"]);
    }

    private static string Hash(TinyModelOptions options) =>
        Convert.ToHexString(SHA256.HashData(TinyModels.CreateWriter(options).ToArray()));
}
