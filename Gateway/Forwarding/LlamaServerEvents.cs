using System.Runtime.CompilerServices;
using System.Text;

namespace LlamaAspire.Gateway.Forwarding;

/// <summary>Reads llama-server's SSE stream for the relays that translate it into another dialect.</summary>
public static class LlamaServerEvents
{
    /// <summary>The data payloads of llama-server's SSE stream, each as soon as its line arrives; ":" pings dropped.</summary>
    public static async IAsyncEnumerable<byte[]> ReadAsync(HttpResponseMessage response, [EnumeratorCancellation] CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(response);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct), Encoding.UTF8);
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.StartsWith("data:", StringComparison.Ordinal)) yield return Encoding.UTF8.GetBytes(line.AsSpan(5).TrimStart(' ').ToString());
        }
    }
}
