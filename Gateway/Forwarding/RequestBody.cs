namespace LlamaAspire.Gateway.Forwarding;

/// <summary>A request body read whole, up to a limit; past it nothing more is read and <see cref="TooLarge"/> says so.</summary>
public sealed record RequestBody(ReadOnlyMemory<byte> Bytes, bool TooLarge)
{
    public static async Task<RequestBody> ReadAsync(HttpRequest request, long limit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength > limit) return new RequestBody(ReadOnlyMemory<byte>.Empty, true);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > limit) return new RequestBody(ReadOnlyMemory<byte>.Empty, true);
            buffer.Write(chunk, 0, read);
        }
        return new RequestBody(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), false);
    }
}
