using System.Runtime.CompilerServices;
using System.Text.Json;

namespace LlamaAspire.Gateway.Upstream;

/// <summary>One message of GET /runners/events: a full listing (<see cref="IsSnapshot"/>), or the one runner that changed.</summary>
public sealed record RunnerStatusEvent(bool IsSnapshot, IReadOnlyList<RunnerStatus> Runners);

/// <summary>An open subscription to the RunnerAgent's runner status events; disposing it closes the connection.</summary>
public sealed class RunnerStatusSubscription(HttpResponseMessage response, Stream body) : IDisposable
{
    private readonly StreamReader _reader = new(body);

    /// <summary>Every event until the agent ends the stream; a broken connection ends it too (the caller may resubscribe).</summary>
    public async IAsyncEnumerable<RunnerStatusEvent> ReadAllAsync([EnumeratorCancellation] CancellationToken ct)
    {
        string? name = null;
        var data = new List<string>();
        while (true)
        {
            string? line;
            try
            {
                line = await _reader.ReadLineAsync(ct);
            }
            catch (Exception e) when (e is IOException or HttpRequestException)
            {
                yield break;
            }
            if (line is null) yield break;
            if (line.Length > 0)
            {
                if (line.StartsWith("event:", StringComparison.Ordinal)) name = line["event:".Length..].Trim();
                else if (line.StartsWith("data:", StringComparison.Ordinal)) data.Add(line["data:".Length..].TrimStart());
                continue;
            }
            if (data.Count > 0 && Parse(name, string.Join('\n', data)) is { } parsed) yield return parsed;
            name = null;
            data.Clear();
        }
    }

    /// <summary>Null for a kind of event this gateway does not know yet, or one it cannot read.</summary>
    private static RunnerStatusEvent? Parse(string? name, string data)
    {
        try
        {
            return name switch
            {
                "snapshot" => new RunnerStatusEvent(true, JsonSerializer.Deserialize<List<RunnerStatus>>(data, JsonSerializerOptions.Web) ?? []),
                "runner" => JsonSerializer.Deserialize<RunnerStatus>(data, JsonSerializerOptions.Web) is { } runner ? new RunnerStatusEvent(false, [runner]) : null,
                _ => null,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        _reader.Dispose();
        response.Dispose();
    }
}
