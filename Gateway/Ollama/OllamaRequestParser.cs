using System.Text.Json;

namespace LlamaAspire.Gateway.Ollama;

/// <summary>
/// Reads Ollama request bodies and applies the checks Ollama answers with 400 before scheduling anything.
/// The messages are Ollama's where it has fixed wording; the JSON-level ones are ours.
/// </summary>
public static class OllamaRequestParser
{
    public const string MissingBody = "missing request body";
    public const string ModelRequired = "model is required";
    public const string RawConflict = "raw mode does not support template, system, or context";
    public const string InvalidInputType = "invalid input type";

    public static OllamaParsed<OllamaChatRequest> ParseChat(ReadOnlySpan<byte> body)
    {
        if (!TryRead(body, out OllamaChatRequest? chat, out var error)) return Fail<OllamaChatRequest>(error);
        var nullMessage = chat.Messages is { } messages && messages.Any(m => m is null) ? "messages must not contain null" : null;
        return Common(chat, chat.ModelName, chat.Options, chat.KeepAlive, nullMessage ?? CheckThink(chat.Think) ?? CheckFormat(chat.Format));
    }

    public static OllamaParsed<OllamaGenerateRequest> ParseGenerate(ReadOnlySpan<byte> body)
    {
        if (!TryRead(body, out OllamaGenerateRequest? generate, out var error)) return Fail<OllamaGenerateRequest>(error);
        var raw = generate.IsRaw && (!string.IsNullOrEmpty(generate.Template) || !string.IsNullOrEmpty(generate.System) || generate.Context is { Count: > 0 })
            ? RawConflict
            : null;
        return Common(generate, generate.ModelName, generate.Options, generate.KeepAlive, raw ?? CheckThink(generate.Think) ?? CheckFormat(generate.Format));
    }

    public static OllamaParsed<OllamaEmbedRequest> ParseEmbed(ReadOnlySpan<byte> body)
    {
        if (!TryRead(body, out OllamaEmbedRequest? embed, out var error)) return Fail<OllamaEmbedRequest>(error);
        var input = embed.Input switch
        {
            null or { ValueKind: JsonValueKind.Null or JsonValueKind.String } => null,
            { ValueKind: JsonValueKind.Array } list when list.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String) => null,
            _ => InvalidInputType,
        };
        var dimensions = embed.Dimensions is < 0 ? "dimensions must be a positive number" : null;
        return Common(embed, embed.ModelName, embed.Options, embed.KeepAlive, input ?? dimensions);
    }

    public static OllamaParsed<OllamaEmbeddingsRequest> ParseEmbeddings(ReadOnlySpan<byte> body) =>
        TryRead(body, out OllamaEmbeddingsRequest? embeddings, out var error)
            ? Common(embeddings, embeddings.ModelName, embeddings.Options, embeddings.KeepAlive, null)
            : Fail<OllamaEmbeddingsRequest>(error);

    private static OllamaParsed<T> Common<T>(
        T request, string model, IReadOnlyDictionary<string, JsonElement>? optionsMap, JsonElement? keepAliveRaw, string? specificError)
        where T : class
    {
        if (string.IsNullOrEmpty(model)) return Fail<T>(ModelRequired);
        if (specificError is not null) return Fail<T>(specificError);
        if (!OllamaKeepAlive.TryParse(keepAliveRaw, out var keepAlive, out var keepAliveError)) return Fail<T>(keepAliveError!);
        if (!OllamaRuntimeOptions.TryFrom(optionsMap, out var options, out var optionsError)) return Fail<T>(optionsError!);
        return new OllamaParsed<T>(request, options, keepAlive, null);
    }

    private static OllamaParsed<T> Fail<T>(string error) where T : class => new(null, OllamaRuntimeOptions.None, null, error);

    private static bool TryRead<T>(ReadOnlySpan<byte> body, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out T? request, out string error)
        where T : class, new()
    {
        request = null;
        error = "";
        if (body.Trim(" \t\r\n"u8).IsEmpty)
        {
            error = MissingBody;
            return false;
        }
        if (SyntaxError(body) is { } syntax)
        {
            error = syntax;
            return false;
        }
        try
        {
            // Go decodes JSON null into an empty struct; the missing model is reported next.
            request = JsonSerializer.Deserialize<T>(body, OllamaJson.Options) ?? new T();
            return true;
        }
        catch (JsonException e)
        {
            error = e.Path is null or "$" ? "the request body must be a JSON object" : $"invalid value for \"{e.Path[2..]}\": wrong type";
        }
        return false;
    }

    // A cheap reader pass first, so malformed JSON and a wrong type get different messages.
    private static string? SyntaxError(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        try
        {
            while (reader.Read())
            {
            }
            return null;
        }
        catch (JsonException e)
        {
            return $"invalid JSON in request body (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})";
        }
    }

    private static string? CheckThink(JsonElement? think) => think switch
    {
        null or { ValueKind: JsonValueKind.Null or JsonValueKind.True or JsonValueKind.False } => null,
        { ValueKind: JsonValueKind.String } level when level.GetString() is "low" or "medium" or "high" or "max" => null,
        { } other => $"invalid think value: {other.GetRawText()} (must be \"low\", \"medium\", \"high\", \"max\", true, or false)",
    };

    private static string? CheckFormat(JsonElement? format) => format switch
    {
        null or { ValueKind: JsonValueKind.Null or JsonValueKind.Object } => null,
        { ValueKind: JsonValueKind.String } text when text.GetString() is "" or "json" => null,
        { } other => $"invalid format: {other.GetRawText()}; expected \"json\" or a JSON schema object",
    };
}
