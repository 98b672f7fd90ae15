using System.Collections.Concurrent;
using System.Diagnostics;
using LlamaAspire.ServiceDefaults.Telemetry;
using LlamaAspire.ServiceDefaults.Tests.Support;
using LlamaAspire.TestSupport.Network;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Exporter;
using OpenTelemetry.Trace;
using OpenTelemetry;

namespace LlamaAspire.ServiceDefaults.Tests.Telemetry;

public sealed class OpenTelemetryTests
{
    private static readonly ActivitySource TestSource = new(LlamaAspireTelemetry.SourceName("Tests", "Export"));

    [Fact]
    public void ConfigureOpenTelemetry_OtelServiceNameInConfiguration_BecomesResourceServiceName()
    {
        var builder = HostFactory.CreateHostBuilder(new Dictionary<string, string?> { ["OTEL_SERVICE_NAME"] = "gateway-under-test" });
        builder.AddServiceDefaults();
        using var host = builder.Build();

        var resource = host.Services.GetRequiredService<TracerProvider>().GetResource();

        Assert.Contains(resource.Attributes, a => a.Key == "service.name" && Equals(a.Value, "gateway-under-test"));
    }

    [Fact]
    public void AddOpenTelemetryCore_ProvidersStarter_IsTheFirstHostedService()
    {
        var builder = HostFactory.CreateHostBuilder(new Dictionary<string, string?> { ["LlamaAspire:ExitOnStdinClose"] = "true" });
        builder.AddServiceDefaults();
        using var host = builder.Build();

        Assert.IsType<TelemetryProvidersStarter>(host.Services.GetServices<IHostedService>().First());
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData(" ", false)]
    [InlineData("http://127.0.0.1:4318", true)]
    public void ConfigureOpenTelemetry_OtlpEndpoint_RegistersOtlpExporterOnlyWhenSet(string? endpoint, bool expected)
    {
        var builder = HostFactory.CreateHostBuilder(new Dictionary<string, string?> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint });

        builder.AddServiceDefaults();

        var otlpAssembly = typeof(OtlpExporterOptions).Assembly;
        Assert.Equal(expected, builder.Services.Any(d =>
            d.ServiceType.Assembly == otlpAssembly || d.ServiceType.GenericTypeArguments.Any(t => t.Assembly == otlpAssembly)));
    }

    [Fact]
    public async Task ConfigureOpenTelemetry_OtlpEndpointAndHttpProtocolConfigured_ExportsSpansThere()
    {
        var ct = TestContext.Current.CancellationToken;
        var receivedPaths = new ConcurrentQueue<string>();
        await using var collector = await LoopbackWebServer.StartAsync(app => app.MapPost("/v1/{signal}", (HttpRequest request) =>
        {
            receivedPaths.Enqueue(request.Path);
            return Results.Ok();
        }), ct);
        var builder = HostFactory.CreateHostBuilder(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.BaseAddress.ToString(),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_SERVICE_NAME"] = "otlp-under-test",
        });
        builder.AddServiceDefaults();

        using (var host = builder.Build())
        {
            await host.StartAsync(ct);
            using (TestSource.StartActivity("work"))
            {
            }

            await host.StopAsync(ct);
        }

        Assert.Contains("/v1/traces", receivedPaths);
    }

    [Fact]
    public async Task HealthProbeTraceFilter_ProbeRequests_AreNotExportedButOthersAre()
    {
        var ct = TestContext.Current.CancellationToken;
        var exporter = new CollectingExporter();
        var observer = new RecordingProcessor();
        await using var app = await DefaultsWebApp.StartAsync(
            ct,
            builder => builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing
                .AddProcessor(new SimpleActivityExportProcessor(exporter))
                .AddProcessor(observer)),
            routes => routes.MapGet("/work", () => "done"));

        var health = await SendTracedAsync(app.Client, "/health", ct);
        var alive = await SendTracedAsync(app.Client, "/alive", ct);
        var work = await SendTracedAsync(app.Client, "/work", ct);
        await WaitUntilAsync(() => new[] { health, alive, work }.All(observer.Ended.ContainsKey), ct);

        var exportedTraces = exporter.Exported.Select(a => a.TraceId).ToHashSet();
        Assert.Contains(work, exportedTraces);
        Assert.DoesNotContain(health, exportedTraces);
        Assert.DoesNotContain(alive, exportedTraces);
    }

    // Listeners are process-wide, so each request carries its own sampled trace id to tell it apart.
    private static async Task<ActivityTraceId> SendTracedAsync(HttpClient client, string path, CancellationToken ct)
    {
        var traceId = ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Add("traceparent", $"00-{traceId.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        using var response = await client.SendAsync(request, ct);
        response.EnsureSuccessStatusCode();
        return traceId;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }
}
