using System.Text.Json;

namespace LlamaAspire.FakeLlamaServer;

/// <summary>llama-server's routes and response shapes (see protocols.md §3), with generated tokens.</summary>
public sealed class Endpoints(FakeOptions options, FakeFaults faults, Func<bool> loaded)
{
    private const string Fingerprint = "b1-fake";
    private readonly long _created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public async Task HandleAsync(HttpRequest request, Stream stream, CancellationToken ct)
    {
        var keepAlive = request.KeepAlive;
        if (!loaded())
        {
            await HttpResponses.WriteJsonAsync(stream, 503, HttpResponses.Error(503, "Loading model", "unavailable_error"), keepAlive, ct);
            return;
        }

        switch (request.Method, request.Path)
        {
            case ("GET", "/health" or "/v1/health"):
                await HttpResponses.WriteJsonAsync(stream, 200, """{"status":"ok"}""", keepAlive, ct);
                break;
            case ("GET", "/models" or "/v1/models"):
                await HttpResponses.WriteJsonAsync(stream, 200, Models(), keepAlive, ct);
                break;
            case ("POST", "/v1/chat/completions" or "/chat/completions"):
                await GenerateAsync(request, stream, Kind.Chat, ct);
                break;
            case ("POST", "/v1/completions"):
                await GenerateAsync(request, stream, Kind.OpenAiCompletion, ct);
                break;
            case ("POST", "/completion" or "/completions"):
                await GenerateAsync(request, stream, Kind.Native, ct);
                break;
            default:
                await HttpResponses.WriteJsonAsync(stream, 404, """{"error":{"message":"File Not Found","type":"not_found_error","code":404}}""", keepAlive, ct);
                break;
        }
    }

    public void WriteModelEntry(Utf8JsonWriter w)
    {
        w.WriteString("id", options.ModelId);
        w.WriteStartArray("aliases");
        if (options.Alias is { } aliases) foreach (var alias in aliases.Split(',')) w.WriteStringValue(alias);
        w.WriteEndArray();
        w.WriteStartArray("tags");
        w.WriteEndArray();
        w.WriteString("object", "model");
        w.WriteNumber("created", _created);
        w.WriteString("owned_by", "llamacpp");
        w.WriteStartObject("meta");
        w.WriteNumber("vocab_type", 1);
        w.WriteNumber("n_vocab", 356);
        w.WriteNumber("n_ctx", options.ContextSize / Math.Max(options.Parallel, 1));
        w.WriteNumber("n_ctx_train", 4096);
        w.WriteNumber("n_embd", 64);
        w.WriteNumber("n_params", 127808);
        w.WriteNumber("size", 511232);
        w.WriteString("ftype", "all F32");
        w.WriteEndObject();
    }

    private string Models() => Json.Write(w =>
    {
        w.WriteStartArray("models");
        w.WriteStartObject();
        w.WriteString("name", options.ModelId);
        w.WriteString("model", options.ModelId);
        w.WriteString("type", "model");
        w.WriteStartArray("capabilities");
        w.WriteStringValue(options.Embeddings ? "embedding" : "completion");
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteString("object", "list");
        w.WriteStartArray("data");
        w.WriteStartObject();
        WriteModelEntry(w);
        w.WriteEndObject();
        w.WriteEndArray();
    });

    private enum Kind { Chat, OpenAiCompletion, Native }

    private async Task GenerateAsync(HttpRequest request, Stream stream, Kind kind, CancellationToken ct)
    {
        JsonDocument body;
        try
        {
            body = JsonDocument.Parse(request.Body);
        }
        catch (JsonException e)
        {
            await HttpResponses.WriteJsonAsync(stream, 400, HttpResponses.Error(400, "Failed to parse JSON: " + e.Message, "invalid_request_error"), request.KeepAlive, ct);
            return;
        }

        using (body)
        {
            var root = body.RootElement;
            if (kind == Kind.Chat && !root.TryGetProperty("messages", out _))
            {
                await HttpResponses.WriteJsonAsync(stream, 400, HttpResponses.Error(400, "'messages' is required", "invalid_request_error"), request.KeepAlive, ct);
                return;
            }

            var generation = new Generation(faults, Limit(root), Math.Max(1, request.Body.Length / 16));
            var id = "chatcmpl-" + Guid.NewGuid().ToString("N");
            var responses = new Responses(options.ModelId, id, Fingerprint, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), generation);
            var includeUsage = root.TryGetProperty("stream_options", out var so) && so.ValueKind == JsonValueKind.Object
                && so.TryGetProperty("include_usage", out var iu) && iu.ValueKind == JsonValueKind.True;
            if (!(root.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True))
            {
                var text = await generation.AllTextAsync(ct);
                var json = kind switch
                {
                    Kind.Chat => responses.Chat(text),
                    Kind.OpenAiCompletion => responses.TextCompletion(text),
                    _ => responses.NativeFinal(text, stream: false),
                };
                await HttpResponses.WriteJsonAsync(stream, 200, json, request.KeepAlive, ct);
                return;
            }

            await HttpResponses.StartEventStreamAsync(stream, ct);
            if (kind == Kind.Chat) await HttpResponses.WriteEventAsync(stream, responses.ChatRoleChunk(), ct);
            var index = 0;
            await foreach (var token in generation.TokensAsync(ct))
            {
                var chunk = kind switch
                {
                    Kind.Chat => responses.ChatChunk(token),
                    Kind.OpenAiCompletion => responses.TextChunk(token),
                    _ => responses.NativeChunk(token, index),
                };
                await HttpResponses.WriteEventAsync(stream, chunk, ct);
                index++;
            }

            switch (kind)
            {
                case Kind.Chat:
                    await HttpResponses.WriteEventAsync(stream, responses.ChatFinishChunk(withTimings: !includeUsage), ct);
                    if (includeUsage) await HttpResponses.WriteEventAsync(stream, responses.ChatUsageChunk(), ct);
                    await HttpResponses.WriteEventAsync(stream, "[DONE]", ct);
                    break;
                case Kind.OpenAiCompletion:
                    await HttpResponses.WriteEventAsync(stream, responses.TextFinishChunk(), ct);
                    await HttpResponses.WriteEventAsync(stream, "[DONE]", ct);
                    break;
                default:
                    // The native endpoint sends no [DONE]: the stream just ends.
                    await HttpResponses.WriteEventAsync(stream, responses.NativeFinal("", stream: true), ct);
                    break;
            }
            await HttpResponses.EndEventStreamAsync(stream, ct);
        }
    }

    private static int? Limit(JsonElement root)
    {
        foreach (var name in (string[])["max_tokens", "max_completion_tokens", "n_predict"])
        {
            if (root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n)) return n;
        }
        return null;
    }
}
