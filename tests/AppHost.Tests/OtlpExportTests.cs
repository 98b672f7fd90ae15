using System.Collections.Concurrent;
using System.Text;
using LlamaAspire.AppHost.Hosting.Testing;
using LlamaAspire.TestSupport;
using LlamaAspire.TestSupport.LlamaServer;
using LlamaAspire.TestSupport.Models;
using LlamaAspire.TestSupport.Network;
using LlamaAspire.TestSupport.Processes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LlamaAspire.AppHost.Tests;

/// <summary>The services export over OTLP to the endpoint the AppHost injects, named as the AppHost names them.</summary>
public sealed class OtlpExportTests : IAsyncDisposable
{
    private readonly TempDirectory _home = new();
    private readonly ConcurrentQueue<(string Path, string ContentType, byte[] Body)> _received = new();
    private LoopbackWebServer? _collector;

    public async ValueTask DisposeAsync()
    {
        if (_collector is not null) await _collector.DisposeAsync();
        _home.Dispose();
    }

    [Fact(Timeout = 120_000)]
    public async Task StartAsync_OtlpEndpointGiven_ServicesSendTracesWithTheirServiceNames()
    {
        var ct = TestContext.Current.CancellationToken;
        var collectorUrl = await StartCollectorAsync();
        var appHost = await DistributedApplicationTestingBuilder.CreateAsync(
            ["--home", _home.Path, "--discover-stores", "false", "--otlp-endpoint", collectorUrl, "--otlp-protocol", "http/protobuf"], ct: ct);
        await using var app = await appHost.BuildAsync(ct);
        await app.StartAsync(ct);

        using var lmStudio = app.CreateHttpClient("gateway", "lmstudio");
        await lmStudio.GetStringAsync("/v1/models", ct);   // gateway → metadata: one trace across two services

        // Protobuf keeps strings as UTF-8 bytes, so the resource's service.name can be found without decoding.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && !(TracesMention("gateway") && TracesMention("metadata") && TracesMention("/v1/models")))
            await Task.Delay(200, ct);

        Assert.True(TracesMention("gateway"), "no trace from gateway");
        Assert.True(TracesMention("metadata"), "no trace from metadata");
        Assert.True(TracesMention("/v1/models"), "the gateway's request span is missing its url.path / route");
        Assert.All(_received, r => Assert.Equal("application/x-protobuf", r.ContentType));
    }

    private bool TracesMention(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return _received.Any(r => r.Path == "/v1/traces" && r.Body.AsSpan().IndexOf(bytes) >= 0);
    }

    private async Task<string> StartCollectorAsync()
    {
        _collector = await LoopbackWebServer.StartAsync(app => app.MapPost("/v1/{signal}", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            _received.Enqueue((request.Path, request.ContentType ?? "", body.ToArray()));
            return Results.Ok();
        }));
        return _collector.BaseAddress.ToString().TrimEnd('/');
    }
}
