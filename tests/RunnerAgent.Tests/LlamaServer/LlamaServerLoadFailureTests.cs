using LlamaAspire.RunnerAgent.LlamaServer;
using LlamaAspire.RunnerAgent.Tests.Support;
using LlamaAspire.TestSupport;
using LlamaAspire.TestSupport.Processes;
using Microsoft.Extensions.Logging.Abstractions;
using Binary = LlamaAspire.TestSupport.LlamaServer.LlamaServerBinary;

namespace LlamaAspire.RunnerAgent.Tests.LlamaServer;

/// <summary>Model files the real llama-server cannot load.</summary>
public sealed class LlamaServerLoadFailureTests(ITestOutputHelper output)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("random-bytes")]
    [InlineData("truncated")]
    public async Task WaitUntilReadyAsync_CorruptModel_ThrowsWithExitCodeAndOutputTail(string corruption)
    {
        using var dir = new TempDirectory("runner-corrupt");
        var model = corruption == "truncated" ? Models.Truncated(dir, "broken") : Models.RandomBytes(dir, "broken");
        using var http = new HttpClient();
        var server = LlamaServerProcess.Start(await Binary.GetPathAsync(), model, TimeProvider.System, NullLogger.Instance);
        try
        {
            var e = await Assert.ThrowsAsync<LlamaServerStartException>(() => server.WaitUntilReadyAsync(http, TimeSpan.FromSeconds(60), Ct));

            output.WriteLine(e.Message);
            var exitCode = await server.Exited;
            Assert.NotEqual(0, exitCode);
            Assert.Contains($"exited with code {exitCode} while loading broken", e.Message, StringComparison.Ordinal);
            Assert.NotEmpty(e.LastOutput);
            Assert.Contains(e.LastOutput, line => line.Contains("failed to load model", StringComparison.Ordinal));
        }
        finally
        {
            await server.StopAsync(TimeSpan.FromSeconds(10));
        }

        await ProcessAssert.NoneRunningAsync(dir.Path);
    }
}
