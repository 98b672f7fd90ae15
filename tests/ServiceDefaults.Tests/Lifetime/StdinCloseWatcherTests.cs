using System.IO.Pipes;
using LlamaAspire.ServiceDefaults.Lifetime;
using LlamaAspire.ServiceDefaults.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlamaAspire.ServiceDefaults.Tests.Lifetime;

public sealed class StdinCloseWatcherTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task StartAsync_ParentClosesPipe_StopsApplication()
    {
        var ct = TestContext.Current.CancellationToken;
        using var parentEnd = new AnonymousPipeServerStream(PipeDirection.Out);
        using var lifetime = new FakeLifetime();
        var opened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var watcher = new StdinCloseWatcher(
            () =>
            {
                var input = new AnonymousPipeClientStream(PipeDirection.In, parentEnd.ClientSafePipeHandle);
                opened.SetResult();
                return input;
            },
            lifetime,
            NullLogger<StdinCloseWatcher>.Instance);
        await watcher.StartAsync(ct);
        // The parent closes its end once the watcher holds the other, as our AppHost does (the pipe exists before
        // the service starts); closing first would leave the watcher a handle already gone.
        await opened.Task.WaitAsync(Patience, ct);

        parentEnd.Dispose();

        await lifetime.StopRequested.WaitAsync(Patience, ct);
    }

    [Fact]
    public async Task StartAsync_ParentWritesButKeepsPipeOpen_KeepsRunning()
    {
        var ct = TestContext.Current.CancellationToken;
        using var parentEnd = new AnonymousPipeServerStream(PipeDirection.Out);
        using var lifetime = new FakeLifetime();
        var watcher = new StdinCloseWatcher(
            () => new AnonymousPipeClientStream(PipeDirection.In, parentEnd.ClientSafePipeHandle),
            lifetime,
            NullLogger<StdinCloseWatcher>.Instance);
        await watcher.StartAsync(ct);

        await parentEnd.WriteAsync("hello\n"u8.ToArray(), ct);
        await parentEnd.FlushAsync(ct);
        var stopped = await Task.WhenAny(lifetime.StopRequested, Task.Delay(300, ct)) == lifetime.StopRequested;

        Assert.False(stopped);
        parentEnd.Dispose();
        await lifetime.StopRequested.WaitAsync(Patience, ct);
    }

    [Fact]
    public async Task StartAsync_ReadingInputFails_StopsApplication()
    {
        var ct = TestContext.Current.CancellationToken;
        using var lifetime = new FakeLifetime();
        var watcher = new StdinCloseWatcher(() => throw new IOException("broken pipe"), lifetime, NullLogger<StdinCloseWatcher>.Instance);

        await watcher.StartAsync(ct);

        await lifetime.StopRequested.WaitAsync(Patience, ct);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("false", false)]
    [InlineData("true", true)]
    [InlineData("True", true)]
    public void AddServiceDefaults_ExitOnStdinClose_RegistersWatcherOnlyWhenTrue(string? value, bool expected)
    {
        var builder = HostFactory.CreateHostBuilder(new Dictionary<string, string?> { ["LlamaAspire:ExitOnStdinClose"] = value });
        builder.AddServiceDefaults();
        using var host = builder.Build();

        // Resolving constructs the watcher but does not start it, so the test runner's stdin stays untouched.
        var registered = host.Services.GetServices<IHostedService>().OfType<StdinCloseWatcher>().Any();

        Assert.Equal(expected, registered);
    }
}
