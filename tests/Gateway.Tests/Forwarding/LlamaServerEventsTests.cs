using System.Text;
using LlamaAspire.Gateway.Forwarding;

namespace LlamaAspire.Gateway.Tests.Forwarding;

public sealed class LlamaServerEventsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(4096)]
    public async Task ReadAsync_StreamInPiecesOfAnySize_YieldsEachDataPayloadWhole(int pieceSize)
    {
        const string Stream =
            ": ping\n\n" +
            "data: {\"content\":\"héllo 🦙\"}\n\n" +
            "event: message\r\n" +
            "data:{\"content\":\"no space\"}\r\n\r\n" +
            "data: [DONE]";
        using var response = new HttpResponseMessage { Content = new StreamContent(new PiecewiseStream(Encoding.UTF8.GetBytes(Stream), pieceSize)) };

        var payloads = new List<string>();
        await foreach (var payload in LlamaServerEvents.ReadAsync(response, Ct)) payloads.Add(Encoding.UTF8.GetString(payload));

        Assert.Equal(["{\"content\":\"héllo 🦙\"}", "{\"content\":\"no space\"}", "[DONE]"], payloads);
    }

    [Fact]
    public async Task ReadAsync_LineLongerThanTheFirstBuffer_ArrivesWhole()
    {
        var content = new string('x', 100_000);
        using var response = new HttpResponseMessage { Content = new StringContent($"data: {{\"content\":\"{content}\"}}\n\n") };

        var payloads = new List<byte[]>();
        await foreach (var payload in LlamaServerEvents.ReadAsync(response, Ct)) payloads.Add(payload);

        Assert.Equal($"{{\"content\":\"{content}\"}}", Encoding.UTF8.GetString(Assert.Single(payloads)));
    }

    /// <summary>Hands out its bytes a few at a time, as a network stream may.</summary>
    private sealed class PiecewiseStream(byte[] bytes, int pieceSize) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, pieceSize)], cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, pieceSize));
    }
}
