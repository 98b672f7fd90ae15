using System.Buffers;
using System.Text;
using System.Text.Json;

namespace LlamaAspire.Gateway.Forwarding;

/// <summary>
/// llama-server names itself by its alias (our model id) in every response; clients expect the name they asked for.
/// This swaps the exact bytes <c>"model":"alias"</c> for <c>"model":"asked"</c> and leaves every other byte alone,
/// so a relayed body is never re-serialized.
/// </summary>
public sealed class ModelNameRewriter
{
    private readonly byte[] _from;
    private readonly byte[] _to;

    public ModelNameRewriter(string servedAs, string askedFor)
    {
        _from = Encoding.UTF8.GetBytes($"\"model\":{JsonSerializer.Serialize(servedAs)}");
        _to = Encoding.UTF8.GetBytes($"\"model\":{JsonSerializer.Serialize(askedFor)}");
        IsIdentity = servedAs == askedFor;
    }

    /// <summary>The names are the same: bodies pass through untouched.</summary>
    public bool IsIdentity { get; }

    public void Rewrite(ReadOnlySpan<byte> input, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        while (true)
        {
            var at = IsIdentity ? -1 : input.IndexOf(_from);
            if (at < 0)
            {
                output.Write(input);
                return;
            }
            output.Write(input[..at]);
            output.Write(_to);
            input = input[(at + _from.Length)..];
        }
    }
}
