using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace LlamaAspire.FakeLlamaServer;

/// <summary>One response's tokens: "tok0 ", "tok1 ", ..., paced and cut short as the faults say.</summary>
public sealed class Generation
{
    private readonly FakeFaults _faults;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public Generation(FakeFaults faults, int? limit, int promptTokens)
    {
        _faults = faults;
        Count = limit is >= 0 and var l && l < faults.Tokens ? l : faults.Tokens;
        FinishReason = Count < faults.Tokens ? "length" : "stop";
        PromptTokens = promptTokens;
    }

    public int Count { get; }

    /// <summary>"length" when the request's limit cut it short, else "stop" (end of sequence).</summary>
    public string FinishReason { get; }

    public int PromptTokens { get; }

    public static string Token(int index) => string.Create(CultureInfo.InvariantCulture, $"tok{index} ");

    /// <summary>Yields each token; with FAKE_LLAMA_CRASH_AFTER_TOKENS the process dies once that many were handed out.</summary>
    public async IAsyncEnumerable<string> TokensAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        for (var i = 0; i < Count; i++)
        {
            CrashIfDue(i);
            if (_faults.TokenDelayMs > 0) await Task.Delay(_faults.TokenDelayMs, ct);
            yield return Token(i);
        }
        CrashIfDue(Count);
    }

    public async Task<string> AllTextAsync(CancellationToken ct)
    {
        var text = new System.Text.StringBuilder();
        await foreach (var token in TokensAsync(ct)) text.Append(token);
        return text.ToString();
    }

    public void WriteTimings(Utf8JsonWriter w)
    {
        var predictedMs = Math.Max(_clock.Elapsed.TotalMilliseconds, 0.001);
        const double promptMs = 0.5;
        w.WriteStartObject("timings");
        w.WriteNumber("cache_n", 0);
        w.WriteNumber("prompt_n", PromptTokens);
        w.WriteNumber("prompt_ms", promptMs);
        w.WriteNumber("prompt_per_token_ms", promptMs / PromptTokens);
        w.WriteNumber("prompt_per_second", PromptTokens * 1000 / promptMs);
        w.WriteNumber("predicted_n", Count);
        w.WriteNumber("predicted_ms", predictedMs);
        w.WriteNumber("predicted_per_token_ms", Count > 0 ? predictedMs / Count : 0);
        w.WriteNumber("predicted_per_second", Count * 1000 / predictedMs);
        w.WriteEndObject();
    }

    public void WriteUsage(Utf8JsonWriter w)
    {
        w.WriteStartObject("usage");
        w.WriteNumber("completion_tokens", Count);
        w.WriteNumber("prompt_tokens", PromptTokens);
        w.WriteNumber("total_tokens", Count + PromptTokens);
        w.WriteStartObject("prompt_tokens_details");
        w.WriteNumber("cached_tokens", 0);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private void CrashIfDue(int sent)
    {
        if (_faults.CrashAfterTokens is { } n && sent >= n)
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fake: crashing after {sent} tokens"));
            using var self = Process.GetCurrentProcess();
            self.Kill();   // SIGKILL: no flush, no shutdown, sockets cut mid-response
        }
    }
}
