using LlamaAspire.AppHost.Hosting.Testing;

namespace LlamaAspire.AppHost.Tests;

/// <summary>
/// The real ollama-js client (npm package "ollama", pinned in OllamaJs/package-lock.json) against the Ollama port of
/// the whole application: every client method a user calls, judged by the client itself.
/// </summary>
public sealed class OllamaJsConformanceTests(StackFixture stack, ITestOutputHelper output) : IClassFixture<StackFixture>
{
    [Fact(Timeout = 300_000)]
    public async Task OllamaJs_EveryMethod_BehavesAsAgainstOllama()
    {
        var ct = TestContext.Current.CancellationToken;
        using var ollama = stack.App.CreateHttpClient("gateway", "ollama");

        var (exitCode, stdout) = await NodeConformance.RunAsync("OllamaJs", "ollama", [ollama.BaseAddress!.ToString().TrimEnd('/')], ct);

        output.WriteLine(stdout);
        using var report = NodeConformance.Report(exitCode, stdout);
        var failed = NodeConformance.FailedSteps(report);
        Assert.True(failed.Count == 0, string.Join('\n', failed));
        Assert.Equal(0, exitCode);
        Assert.Equal(15, report.RootElement.EnumerateObject().Count());
    }
}
