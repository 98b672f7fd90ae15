using System.Globalization;
using System.Text;

namespace LlamaAspire.FakeLlamaServer;

/// <summary>Writes responses with llama-server's headers.</summary>
public static class HttpResponses
{
    public static async Task WriteJsonAsync(Stream stream, int status, string json, bool keepAlive, CancellationToken ct)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var head = string.Create(CultureInfo.InvariantCulture,
            $"HTTP/1.1 {status} {Reason(status)}\r\nServer: llama.cpp\r\nAccess-Control-Allow-Origin: \r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {body.Length}\r\n{(keepAlive ? "Keep-Alive: timeout=5, max=100" : "Connection: close")}\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), ct);
        await stream.WriteAsync(body, ct);
        await stream.FlushAsync(ct);
    }

    /// <summary>An SSE response in chunked encoding, so a client tells a finished stream from a cut one.</summary>
    public static async Task StartEventStreamAsync(Stream stream, CancellationToken ct)
    {
        const string head = "HTTP/1.1 200 OK\r\nServer: llama.cpp\r\nAccess-Control-Allow-Origin: \r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\nKeep-Alive: timeout=5, max=100\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), ct);
        await stream.FlushAsync(ct);
    }

    public static async Task WriteEventAsync(Stream stream, string data, CancellationToken ct)
    {
        var payload = Encoding.UTF8.GetBytes($"data: {data}\n\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(payload.Length.ToString("x", CultureInfo.InvariantCulture) + "\r\n"), ct);
        await stream.WriteAsync(payload, ct);
        await stream.WriteAsync("\r\n"u8.ToArray(), ct);
        await stream.FlushAsync(ct);
    }

    public static async Task EndEventStreamAsync(Stream stream, CancellationToken ct)
    {
        await stream.WriteAsync("0\r\n\r\n"u8.ToArray(), ct);
        await stream.FlushAsync(ct);
    }

    public static string Error(int code, string message, string type) =>
        Json.Write(w =>
        {
            w.WriteStartObject("error");
            w.WriteNumber("code", code);
            w.WriteString("message", message);
            w.WriteString("type", type);
            w.WriteEndObject();
        });

    private static string Reason(int status) => status switch
    {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    };
}
