using System.Text.Json;
using System.Text.Json.Nodes;
using LlamaAspire.Gateway.Upstream;

namespace LlamaAspire.Gateway.Forwarding;

/// <summary>
/// One API dialect served by <see cref="LlamaChatRelay"/> over llama-server's /v1/chat/completions: how its request
/// becomes a chat request, how its errors look, and the translator that writes its answer.
/// </summary>
public interface IChatDialect
{
    /// <summary>The client's body as a llama-server chat request, or the reason it is refused (nothing is leased then).</summary>
    ChatTranslation Translate(ReadOnlyMemory<byte> body);

    /// <summary>An error answered before any byte of the response, in the dialect's envelope.</summary>
    IResult Refuse(int status, string message, string? param = null);

    /// <summary>The RunnerAgent would not lease <paramref name="model"/>.</summary>
    IResult Refused(string model, LeaseRefusal refusal);

    IChatAnswerTranslator Answer(ChatRequest request);

    /// <summary>
    /// Runs alongside the lease request, awaited once the lease is settled: a dialect that reports more than the lease
    /// tells (whether the model had to be loaded) looks it up here, without delaying the lease. Must not throw.
    /// </summary>
    Task OnLeasingAsync(ChatRequest request, CancellationToken ct) => Task.CompletedTask;

    /// <summary>The translator, told which model instance answers and how long its lease took (a load shows there).</summary>
    IChatAnswerTranslator Answer(ChatRequest request, ChatLease lease) => Answer(request);
}

/// <summary>The lease a request runs on: the model llama-server serves it as, and how long acquiring it took.</summary>
public sealed record ChatLease(string Model, TimeSpan Wait);

/// <summary>
/// A translated request: the model the client named, the llama-server chat body, the client's own request, and the
/// context length it asks the model to be loaded with (null: the model's default).
/// </summary>
public sealed record ChatRequest(string Model, bool Stream, JsonObject Body, JsonElement Original, int? ContextLength = null);

/// <summary>Either a request or a refusal (status, message, the offending parameter).</summary>
public sealed record ChatTranslation(ChatRequest? Request, int Status = StatusCodes.Status400BadRequest, string? Message = null, string? Param = null)
{
    public static ChatTranslation Refuse(string message, string? param = null, int status = StatusCodes.Status400BadRequest) => new(null, status, message, param);

    /// <summary>
    /// The body's JSON object in <paramref name="root"/>, or the refusal: <paramref name="invalidJson"/> words a parse
    /// failure in the dialect; anything but an object is refused alike in every dialect.
    /// </summary>
    public static ChatTranslation? ReadObject(ReadOnlyMemory<byte> body, Func<JsonException, string> invalidJson, out JsonElement root)
    {
        ArgumentNullException.ThrowIfNull(invalidJson);
        root = default;
        try
        {
            using var document = JsonDocument.Parse(body);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            return Refuse(invalidJson(e));
        }
        return root.ValueKind == JsonValueKind.Object ? null : Refuse("The request body must be a JSON object.");
    }
}

/// <summary>
/// Turns llama-server's chat stream, fed SSE data payload by payload, into one dialect's answer: for a streaming
/// client the framed events to write (each <see cref="Push"/> returns those due now), otherwise one JSON body at the
/// end. No I/O.
/// </summary>
public interface IChatAnswerTranslator
{
    /// <summary>The events that open the stream, before llama-server's first chunk.</summary>
    IReadOnlyList<byte[]> Start();

    IReadOnlyList<byte[]> Push(byte[] payload);

    /// <summary>llama-server said "[DONE]" or an error: read no further.</summary>
    bool IsLast { get; }

    /// <summary>The turn ended (a finish reason came).</summary>
    bool IsComplete { get; }

    /// <summary>llama-server reported an error (or sent something unreadable).</summary>
    string? ErrorMessage { get; }

    /// <summary>The HTTP status llama-server put in its error, if any.</summary>
    int? ErrorStatus { get; }

    /// <summary>The events that close a completed stream.</summary>
    IReadOnlyList<byte[]> Finish();

    /// <summary>The events that end a stream that broke off or failed.</summary>
    IReadOnlyList<byte[]> Fail(string message);

    /// <summary>The whole answer as one JSON body, for a client that did not stream.</summary>
    byte[] Aggregate();
}
