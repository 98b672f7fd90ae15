using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlamaAspire.Gateway.Forwarding;

namespace LlamaAspire.Gateway.LmStudio;

/// <summary>
/// Turns llama-server's OpenAI answers into REST v0's. A whole answer gets <c>stats</c>, <c>model_info</c> and <c>runtime</c>
/// added. A stream passes event by event, unchanged but for the model name (and the role llama-server may leave out of the
/// first chunk, see <see cref="AssistantRoleFix"/>), except its last JSON chunk: the one llama-server
/// puts its <c>timings</c> on, which is the finish_reason chunk, or the usage chunk when <c>stream_options.include_usage</c>
/// is set. That chunk gets the three objects, with the finish reason seen earlier in the stream. Pure.
/// </summary>
public sealed class LmStudioV0Translator(string askedModel, ModelNameRewriter rewriter, bool requestHasStopStrings)
{
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] TimingsKey = "\"timings\""u8.ToArray();
    private static readonly byte[] FinishReasonValue = "\"finish_reason\":\""u8.ToArray();
    private static readonly JsonSerializerOptions Compact = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly AssistantRoleFix _role = new();
    private string? _finishReason;

    /// <summary>The event is the one the extras go on, so the caller must have them ready.</summary>
    public static bool NeedsExtras(ReadOnlySpan<byte> sseEvent) => sseEvent.StartsWith(DataPrefix) && sseEvent.IndexOf(TimingsKey) >= 0;

    /// <summary>One server-sent event, without its closing blank line; writes it with the blank line.</summary>
    public void TranslateEvent(ReadOnlySpan<byte> sseEvent, IBufferWriter<byte> output, LmStudioV0ModelInfo? modelInfo, LmStudioV0Runtime? runtime)
    {
        ArgumentNullException.ThrowIfNull(output);
        sseEvent = _role.Apply(sseEvent);
        if (sseEvent.StartsWith(DataPrefix) && sseEvent.IndexOf(FinishReasonValue) >= 0 && TryParse(sseEvent[DataPrefix.Length..]) is { } withReason)
            _finishReason = LmStudioV0Extras.FinishReason(JsonSerializer.SerializeToElement(withReason)) ?? _finishReason;
        if (NeedsExtras(sseEvent) && modelInfo is not null && runtime is not null && TryParse(sseEvent[DataPrefix.Length..]) is JsonObject last)
        {
            LmStudioV0Extras.AddTo(last, askedModel, Stats(last), modelInfo, runtime);
            output.Write(DataPrefix);
            output.Write(Encoding.UTF8.GetBytes(last.ToJsonString(Compact)));
        }
        else
        {
            rewriter.Rewrite(sseEvent, output);
        }
        output.Write("\n\n"u8);
    }

    /// <summary>A whole (non-stream) answer: completions get the extras, other answers (embeddings, errors) only the model name.</summary>
    public byte[] TranslateWhole(ReadOnlySpan<byte> answer, LmStudioV0ModelInfo modelInfo, LmStudioV0Runtime runtime)
    {
        if (TryParse(answer) is JsonObject body && body.ContainsKey("choices"))
        {
            _finishReason = LmStudioV0Extras.FinishReason(JsonSerializer.SerializeToElement(body));
            LmStudioV0Extras.AddTo(body, askedModel, Stats(body), modelInfo, runtime);
            return Encoding.UTF8.GetBytes(body.ToJsonString(Compact));
        }
        var output = new ArrayBufferWriter<byte>(answer.Length + 64);
        rewriter.Rewrite(answer, output);
        return output.WrittenSpan.ToArray();
    }

    private LmStudioV0Stats Stats(JsonObject answer) =>
        LmStudioV0Extras.Stats(answer["timings"] is { } timings ? JsonSerializer.SerializeToElement(timings) : null, _finishReason, requestHasStopStrings);

    private static JsonNode? TryParse(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
