using System.Text.Json;
using System.Threading.Channels;
using LlamaAspire.Gateway.Tests.Support;
using LlamaAspire.TestSupport.Network;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LlamaAspire.Gateway.Tests;

/// <summary>
/// GET /models/sse in a real Gateway process over a RunnerAgent stand-in whose events the test releases one at a time:
/// each reaches the client before the next is sent, and the client leaving closes the Gateway's agent subscription.
/// (The whole stack with real runners is tests/AppHost.Tests/RouterApiTests.)
/// </summary>
public sealed class RouterStatusEventsRelayTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ModelsSse_AgentEventsOneByOne_EachFlushedAndClientLeavingClosesAgentStream()
    {
        var frames = Channel.CreateUnbounded<string>();
        var agentStreamClosed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var agent = await LoopbackWebServer.StartAsync(app => app.MapGet("/runners/events", async (HttpContext context) =>
        {
            try
            {
                context.Response.ContentType = "text/event-stream";
                await context.Response.WriteAsync($"event: snapshot\ndata: [{Runner("warm", "ready")}]\n\n", context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await foreach (var frame in frames.Reader.ReadAllAsync(context.RequestAborted))
                {
                    await context.Response.WriteAsync(frame, context.RequestAborted);
                    await context.Response.Body.FlushAsync(context.RequestAborted);
                }
            }
            catch (OperationCanceledException)
            {
                // The Gateway closed its subscription.
            }
            finally
            {
                agentStreamClosed.TrySetResult();
            }
        }), Ct);
        await using var metadata = await FakeMetadataService.StartWithModelsAsync(Ct, "m", "warm");
        await using var gateway = await GatewayProcess.StartHealthyAsync(metadata.BaseAddress, agent.BaseAddress, new Dictionary<string, string>(), Ct);

        using (var response = await gateway.OpenAi.GetAsync(new Uri("/models/sse", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, Ct))
        {
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));

            foreach (var (state, expected) in new[] { ("queued", "loading"), ("loading", null), ("ready", "loaded"), ("unloading", null), ("unloaded", "unloaded") })
            {
                frames.Writer.TryWrite($"event: runner\ndata: {Runner("m", state)}\n\n");
                if (expected is null) continue;   // no router status change: nothing to see
                var line = await reader.ReadLineAsync(timeout.Token);
                Assert.Equal("", await reader.ReadLineAsync(timeout.Token));
                Assert.NotNull(line);
                Assert.StartsWith("data: ", line, StringComparison.Ordinal);
                using var json = JsonDocument.Parse(line["data: ".Length..]);
                Assert.Equal(("m", "model_status", expected), (
                    json.RootElement.GetProperty("model").GetString(),
                    json.RootElement.GetProperty("event").GetString(),
                    json.RootElement.GetProperty("data").GetProperty("status").GetString()));
            }
        }

        await agentStreamClosed.Task.WaitAsync(TimeSpan.FromSeconds(15), Ct);
    }

    private static string Runner(string model, string state) =>
        JsonSerializer.Serialize(new { model, state, contextLength = 512, memoryEstimateBytes = 1 });
}
