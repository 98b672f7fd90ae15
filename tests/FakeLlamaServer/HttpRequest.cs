using System.Globalization;
using System.Text;

namespace LlamaAspire.FakeLlamaServer;

/// <summary>One HTTP/1.1 request, read off a connection.</summary>
public sealed record HttpRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public bool KeepAlive => !(Headers.TryGetValue("connection", out var c) && c.Equals("close", StringComparison.OrdinalIgnoreCase));

    /// <summary>Null when the client closed the connection before another request.</summary>
    public static async Task<HttpRequest?> ReadAsync(BufferedReader reader, CancellationToken ct)
    {
        var requestLine = await reader.ReadLineAsync(ct);
        if (string.IsNullOrEmpty(requestLine)) return null;
        var parts = requestLine.Split(' ');
        if (parts.Length < 2) return null;

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        while (await reader.ReadLineAsync(ct) is { Length: > 0 } line)
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0) headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        byte[] body;
        if (headers.TryGetValue("transfer-encoding", out var te) && te.Contains("chunked", StringComparison.OrdinalIgnoreCase))
            body = await ReadChunkedAsync(reader, ct);
        else if (headers.TryGetValue("content-length", out var length))
            body = await reader.ReadExactlyAsync(int.Parse(length, CultureInfo.InvariantCulture), ct);
        else
            body = [];

        var path = parts[1].Split('?')[0];
        return new HttpRequest(parts[0], path, headers, body);
    }

    private static async Task<byte[]> ReadChunkedAsync(BufferedReader reader, CancellationToken ct)
    {
        using var body = new MemoryStream();
        while (true)
        {
            var sizeLine = await reader.ReadLineAsync(ct) ?? "0";
            var size = int.Parse(sizeLine.Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (size == 0)
            {
                while (await reader.ReadLineAsync(ct) is { Length: > 0 }) { }   // trailers
                return body.ToArray();
            }
            body.Write(await reader.ReadExactlyAsync(size, ct));
            await reader.ReadLineAsync(ct);
        }
    }

    public string BodyText => Encoding.UTF8.GetString(Body);
}
