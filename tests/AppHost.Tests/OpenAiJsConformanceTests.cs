using LlamaAspire.AppHost.Hosting.Testing;

namespace LlamaAspire.AppHost.Tests;

/// <summary>
/// The real openai-node client (npm package "openai", pinned in OpenAiJs/package-lock.json) against each
/// OpenAI-compatible surface of the whole application: the LM Studio port, the OpenAI / router port and Ollama's /v1.
/// </summary>
public sealed class OpenAiJsConformanceTests(StackFixture stack, ITestOutputHelper output) : IClassFixture<StackFixture>
{
    [Theory(Timeout = 300_000)]
    [InlineData("lmstudio", "tiny-chat")]
    [InlineData("openai", "tiny-chat")]
    [InlineData("ollama", "tiny-chat:latest")]
    public async Task OpenAiJs_EveryMethod_BehavesAsAgainstOpenAi(string surface, string chatModel)
    {
        var ct = TestContext.Current.CancellationToken;
        using var gateway = stack.App.CreateHttpClient("gateway", surface);
        using var agent = stack.App.CreateHttpClient("runneragent");

        var (exitCode, stdout) = await NodeConformance.RunAsync("OpenAiJs", "openai",
            [gateway.BaseAddress!.ToString().TrimEnd('/'), chatModel, agent.BaseAddress!.ToString().TrimEnd('/'), surface == "lmstudio" ? "no-retrieve" : "retrieve"], ct);

        output.WriteLine(stdout);
        using var report = NodeConformance.Report(exitCode, stdout);
        var failed = NodeConformance.FailedSteps(report);
        Assert.True(failed.Count == 0, string.Join('\n', failed));
        Assert.Equal(0, exitCode);
        Assert.Equal(10, report.RootElement.EnumerateObject().Count());
    }
}
