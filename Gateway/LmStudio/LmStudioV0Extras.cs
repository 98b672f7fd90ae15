using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlamaAspire.Gateway.Upstream;

namespace LlamaAspire.Gateway.LmStudio;

/// <summary>
/// What REST v0 adds to an OpenAI answer: <c>stats</c> from llama-server's <c>timings</c> and finish reason, <c>model_info</c>
/// from the model's facts and loaded context, <c>runtime</c> from the runner's llama-server. Pure.
/// </summary>
public static class LmStudioV0Extras
{
    /// <summary>
    /// llama-server's finish reason in LM Studio's words. OpenAI's "stop" does not tell an end-of-sequence token from a stop
    /// string, so it counts as a stop string only when the request named some (the model may still have ended on its own).
    /// </summary>
    public static string? StopReason(string? finishReason, bool requestHasStopStrings) => finishReason switch
    {
        "length" => "maxPredictedTokensReached",
        "stop" => requestHasStopStrings ? "stopStringFound" : "eosFound",
        "tool_calls" => "toolCalls",
        null => null,
        _ => finishReason,
    };

    /// <summary>From llama-server's timings (milliseconds and per-second rates); time to first token is the prompt's processing time.</summary>
    public static LmStudioV0Stats Stats(JsonElement? timings, string? finishReason, bool requestHasStopStrings)
    {
        double? Number(string name) =>
            timings is { ValueKind: JsonValueKind.Object } t && t.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
        // Rounded: milliseconds over 1000 are rarely exact in binary, and microseconds are all llama-server measures.
        return new LmStudioV0Stats(
            Round(Number("predicted_per_second"), 3),
            Round(Number("prompt_ms") / 1000, 6),
            Round(Number("predicted_ms") / 1000, 6),
            StopReason(finishReason, requestHasStopStrings));
    }

    private static double? Round(double? value, int decimals) => value is { } v ? Math.Round(v, decimals) : null;

    public static LmStudioV0ModelInfo ModelInfo(CatalogModelFacts? facts, int contextLength) =>
        new(facts?.Architecture, LmStudioModelShapes.Quantization(facts), LmStudioModelShapes.Format, contextLength);

    /// <summary>LM Studio names its engines "llama.cpp-&lt;platform&gt;"; a configured runtime other than the default is added ("…-cuda").</summary>
    public static LmStudioV0Runtime Runtime(LmStudioRunner? runner, OSPlatform? platform = null, Architecture? architecture = null)
    {
        var os = platform ?? (OperatingSystem.IsWindows() ? OSPlatform.Windows : OperatingSystem.IsMacOS() ? OSPlatform.OSX : OSPlatform.Linux);
        var osName = os == OSPlatform.Windows ? "win" : os == OSPlatform.OSX ? "mac" : "linux";
        var arch = (architecture ?? RuntimeInformation.OSArchitecture) switch
        {
            Architecture.X64 => "x86_64",
            Architecture.Arm64 => "arm64",
            var other => other.ToString().ToLowerInvariant(),
        };
        var name = $"llama.cpp-{osName}-{arch}";
        if (runner?.Runtime is { Length: > 0 } runtime && runtime != "default") name += "-" + runtime;
        return new LmStudioV0Runtime(name, runner?.RuntimeVersion, [LmStudioModelShapes.Format]);
    }

    /// <summary>Adds stats, model_info and runtime to an answer (or the stream chunk that carries the timings) and names the model as asked.</summary>
    public static void AddTo(JsonObject answer, string askedModel, LmStudioV0Stats stats, LmStudioV0ModelInfo modelInfo, LmStudioV0Runtime runtime)
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (answer.ContainsKey("model")) answer["model"] = askedModel;
        answer["stats"] = JsonSerializer.SerializeToNode(stats);
        answer["model_info"] = JsonSerializer.SerializeToNode(modelInfo);
        answer["runtime"] = JsonSerializer.SerializeToNode(runtime);
    }

    /// <summary>The first choice's finish reason, if the answer or chunk has one.</summary>
    public static string? FinishReason(JsonElement answer) =>
        answer.ValueKind == JsonValueKind.Object
        && answer.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array
        && choices.EnumerateArray().Select(c => c.ValueKind == JsonValueKind.Object && c.TryGetProperty("finish_reason", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null)
            .FirstOrDefault(f => f is not null) is { } reason
            ? reason
            : null;

    /// <summary>Whether the request body names stop strings (a string or a non-empty array).</summary>
    public static bool HasStopStrings(JsonElement request) =>
        request.ValueKind == JsonValueKind.Object && request.TryGetProperty("stop", out var stop)
        && ((stop.ValueKind == JsonValueKind.String && stop.GetString()!.Length > 0) || (stop.ValueKind == JsonValueKind.Array && stop.GetArrayLength() > 0));
}
