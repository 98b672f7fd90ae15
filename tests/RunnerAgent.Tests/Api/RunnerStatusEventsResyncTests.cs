using System.Text;
using LlamaAspire.RunnerAgent.Runners;
using LlamaAspire.RunnerAgent.Tests.Support;
using LlamaAspire.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace LlamaAspire.RunnerAgent.Tests.Api;

/// <summary>
/// The GET /runners/events handler writing to a client that stops reading: the changes it cannot take are replaced
/// by one fresh snapshot once it reads again, and nothing piles up meanwhile.
/// </summary>
public sealed class RunnerStatusEventsResyncTests(ITestOutputHelper output)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Stream_ClientStallsPastCapacity_ResyncsWithOneSnapshotInsteadOfTheBacklog()
    {
        using var dir = new TempDirectory("status-events-resync");
        await using var harness = await RegistryHarness.StartAsync(output, 1, Models.Chat(dir, "tiny-a"));
        var body = new GatedStream();
        using var aborted = new CancellationTokenSource();
        var context = new DefaultHttpContext { RequestAborted = aborted.Token };
        context.Response.Body = body;

        var streaming = RunnerStatusEventsApi.StreamAsync(context, harness.Registry, new NotStopping());
        await body.WaitForFramesAsync(1, Ct);   // the first snapshot
        harness.Registry.StatusFeed.Publish(Info("first", "loading"));   // its write is held by the stalled client
        await body.WaitForBlockedWriteAsync(Ct);
        for (var i = 0; i < RunnerStatusFeed.SubscriberCapacity + 10; i++) harness.Registry.StatusFeed.Publish(Info($"m{i}", "loading"));

        body.Open();
        await body.WaitForFramesAsync(3, Ct);
        await aborted.CancelAsync();
        await streaming.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        var frames = body.Frames;
        Assert.Equal(3, frames.Count);
        Assert.StartsWith("event: snapshot\ndata: []", frames[0], StringComparison.Ordinal);
        Assert.StartsWith("event: runner\ndata: {\"model\":\"first\"", frames[1], StringComparison.Ordinal);
        Assert.StartsWith("event: snapshot\ndata: []", frames[2], StringComparison.Ordinal);   // the real listing: nothing runs
        Assert.Equal(0, harness.Registry.StatusFeed.SubscriberCount);
    }

    private static RunnerInfo Info(string model, string state) =>
        new(model, state, null, null, null, 512, 1, null, DateTimeOffset.UnixEpoch, null, 0, 0, 0, null, "default", "", null, null);

    private sealed class NotStopping : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication()
        {
        }
    }

    /// <summary>A response body that takes the first frame, then holds every write until opened; it records each frame.</summary>
    private sealed class GatedStream : Stream
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _blocked = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<string> _frames = [];
        private readonly Lock _lock = new();

        public IReadOnlyList<string> Frames
        {
            get { lock (_lock) return [.. _frames]; }
        }

        public void Open() => _open.TrySetResult();

        public Task WaitForBlockedWriteAsync(CancellationToken ct) => _blocked.Task.WaitAsync(TimeSpan.FromSeconds(10), ct);

        public async Task WaitForFramesAsync(int count, CancellationToken ct)
        {
            Assert.True(await Wait.UntilAsync(() => Frames.Count >= count, TimeSpan.FromSeconds(10)), $"{Frames.Count} frames");
            ct.ThrowIfCancellationRequested();
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Frames.Count >= 1 && !_open.Task.IsCompleted)
            {
                _blocked.TrySetResult();
                await _open.Task.WaitAsync(cancellationToken);
            }
            lock (_lock) _frames.Add(Encoding.UTF8.GetString(buffer.Span));
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override void Flush()
        {
        }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
