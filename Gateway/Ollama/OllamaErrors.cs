using System.Net;
using System.Text;
using System.Text.Json;
using LlamaAspire.Gateway.Upstream;

namespace LlamaAspire.Gateway.Ollama;

/// <summary>An error as Ollama answers it: a status and {"error":"message"}.</summary>
public sealed record OllamaError(int Status, string Message)
{
    /// <summary>The body for an error before the first byte.</summary>
    public byte[] ToJson() => OllamaJson.Serialize(new OllamaErrorResponse(Message));

    /// <summary>The last NDJSON line for an error after the first byte (the status stays 200).</summary>
    public byte[] ToStreamLine() => OllamaErrors.StreamLine(Message);
}

/// <summary>Upstream failures (RunnerAgent refusals, llama-server errors) in Ollama's words and statuses (protocols.md §1.10).</summary>
public static class OllamaErrors
{
    public static OllamaError BadRequest(string message) => new(StatusCodes.Status400BadRequest, message);

    /// <summary>The scheduler's own wording, which clients show users ("try pulling it first").</summary>
    public static OllamaError ModelNotFound(string model) =>
        new(StatusCodes.Status404NotFound, $"model \"{model}\" not found, try pulling it first");

    /// <summary>
    /// The RunnerAgent would not lease. Ollama has no 502 or 507: a model that fails to load or cannot fit is a
    /// runner error there, 500; a full queue stays 503.
    /// </summary>
    public static OllamaError FromRefusal(LeaseRefusal refusal, string model)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        return refusal.Status switch
        {
            HttpStatusCode.NotFound => ModelNotFound(model),
            HttpStatusCode.BadRequest => BadRequest(refusal.Message),
            HttpStatusCode.ServiceUnavailable => new(StatusCodes.Status503ServiceUnavailable, refusal.Message),
            _ => new(StatusCodes.Status500InternalServerError, refusal.Message),
        };
    }

    /// <summary>llama-server answered with an error status before streaming: {"error":{"code","message","type"}}, or plain text.</summary>
    public static OllamaError FromLlamaServer(int status, ReadOnlySpan<byte> body) =>
        FromLlamaServer(status, MessageOf(body) ?? $"llama-server answered {status}");

    /// <summary>An error llama-server reported with this status (or code, in a streamed error event).</summary>
    public static OllamaError FromLlamaServer(int status, string message) => new(status switch
    {
        // 501 is a feature the instance was not started with (embeddings, reranking, infill): a capability the model lacks.
        400 or 501 => StatusCodes.Status400BadRequest,
        404 => StatusCodes.Status404NotFound,
        503 => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    }, message);

    /// <summary>{"error":"message"} and a newline: how an Ollama stream ends when something fails after the first byte.</summary>
    public static byte[] StreamLine(string message) => OllamaJson.SerializeLine(new OllamaErrorResponse(message));

    private static string? MessageOf(ReadOnlySpan<byte> body)
    {
        if (body.Trim(" \t\r\n"u8).IsEmpty) return null;
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error))
            {
                if (error.ValueKind == JsonValueKind.String) return error.GetString();
                if (error.ValueKind == JsonValueKind.Object && LlamaServerUpdate.String(error, "message") is { } message) return message;
            }
            if (root.ValueKind == JsonValueKind.Object && LlamaServerUpdate.String(root, "message") is { } bare) return bare;
        }
        catch (JsonException)
        {
            // Uncaught exceptions in llama-server come back as text/plain.
        }
        return Encoding.UTF8.GetString(body).Trim();
    }
}
