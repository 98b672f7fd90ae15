using LlamaAspire.RunnerAgent.LlamaServer;
using LlamaAspire.RunnerAgent.Metadata;
using LlamaAspire.RunnerAgent.Processes;

namespace LlamaAspire.RunnerAgent.Tests.LlamaServer;

public sealed class LlamaServerArgsTests
{
    [Fact]
    public void For_Model_GivesTheExactArgumentList()
    {
        var model = new ModelInfo("tiny", "/models/tiny.gguf", 1234);

        var args = LlamaServerArgs.For(new RunnerLaunch(model, "llama-server"), 41234);

        Assert.Equal(["--host", "127.0.0.1", "--port", "41234", "-m", "/models/tiny.gguf", "--alias", "tiny", "-np", "1", "--no-webui"], args);
    }

    [Fact]
    public void For_EmbeddingModel_AddsEmbeddings()
    {
        var model = new ModelInfo("embed", "/models/embed.gguf", 1, new ModelFacts(["embedding"]));

        var args = LlamaServerArgs.For(new RunnerLaunch(model, "llama-server"), 41234);

        Assert.Equal("--embeddings", args[^1]);
        Assert.Equal(12, args.Count);
    }

    [Fact]
    public void For_EmbeddingModelWithContext_BatchesTheWholeContext()
    {
        var model = new ModelInfo("embed", "/models/embed.gguf", 1, new ModelFacts(["embedding"]));

        var args = LlamaServerArgs.For(new RunnerLaunch(model, "llama-server", ContextLength: 2048), 41234);

        Assert.Equal(["--embeddings", "-b", "2048", "-ub", "2048"], args.TakeLast(5));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("completion,tools")]
    public void For_NotEmbeddingOrNoCapabilities_HasNoEmbeddings(string? capabilities)
    {
        var model = new ModelInfo("tiny", "/models/tiny.gguf", 1, new ModelFacts(capabilities?.Split(',')));

        Assert.DoesNotContain("--embeddings", LlamaServerArgs.For(new RunnerLaunch(model, "llama-server"), 41234));
    }

    [Fact]
    public void For_ContextParallelProjectorAndExtraArgs_AppendsThemInOrder()
    {
        var model = new ModelInfo("vision", "/models/vision.gguf", 1, ProjectorPath: "/models/mmproj-vision.gguf");
        var launch = new RunnerLaunch(model, "llama-server", ContextLength: 8192, Parallel: 4, ExtraArgs: ["--flash-attn", "on"]);

        var args = LlamaServerArgs.For(launch, 0);

        Assert.Equal(
            ["--host", "127.0.0.1", "--port", "0", "-m", "/models/vision.gguf", "--alias", "vision", "-np", "4", "--no-webui",
             "-c", "8192", "--mmproj", "/models/mmproj-vision.gguf", "--flash-attn", "on"],
            args);
    }

    [Theory]
    [InlineData(true, 4, true)]
    [InlineData(true, 1, false)]
    [InlineData(false, 4, false)]
    public void For_SharedContext_AddsKvUnifiedOnlyForSeveralSlots(bool shared, int parallel, bool expected)
    {
        var launch = new RunnerLaunch(new ModelInfo("tiny", "/models/tiny.gguf", 1), "llama-server", Parallel: parallel, SharedContext: shared);

        Assert.Equal(expected, LlamaServerArgs.For(launch, 0).Contains("--kv-unified"));
    }

    [Fact]
    public void For_PathAndIdWithSpaces_KeepsEachValueOneArgument()
    {
        var model = new ModelInfo("my folder/my model", "/srv/my models/a \"quoted\" model.gguf", 1);

        var args = LlamaServerArgs.For(new RunnerLaunch(model, "llama-server"), 8080);

        Assert.Equal("/srv/my models/a \"quoted\" model.gguf", args[args.ToList().IndexOf("-m") + 1]);
        Assert.Equal("my folder/my model", args[args.ToList().IndexOf("--alias") + 1]);
        Assert.Equal(11, args.Count);
    }
}
