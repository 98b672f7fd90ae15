using System.Text.Json.Serialization;

namespace LlamaAspire.Gateway.OpenAi;

// llama.cpp's router-mode wire shapes (llama-server without -m), as its GET /models, POST /models/load|unload and
// GET /models/sse send them.

public sealed record RouterModelList(
    [property: JsonPropertyName("data")] IReadOnlyList<RouterModel> Data,
    [property: JsonPropertyName("object")] string Kind = "list");

public sealed record RouterModel(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("aliases")] IReadOnlyList<string> Aliases,
    [property: JsonPropertyName("tags")] IReadOnlyList<string> Tags,
    [property: JsonPropertyName("object")] string Kind,
    [property: JsonPropertyName("owned_by")] string OwnedBy,
    [property: JsonPropertyName("created")] long Created,
    [property: JsonPropertyName("status")] RouterModelStatus Status,
    [property: JsonPropertyName("architecture")] RouterArchitecture Architecture,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("can_remove")] bool CanRemove);

/// <summary><see cref="Value"/> is unloaded, loading or loaded; <see cref="Args"/> the child's command line, binary first.</summary>
public sealed record RouterModelStatus(
    [property: JsonPropertyName("value")] string Value,
    [property: JsonPropertyName("args")] IReadOnlyList<string> Args);

public sealed record RouterArchitecture(
    [property: JsonPropertyName("input_modalities")] IReadOnlyList<string> InputModalities,
    [property: JsonPropertyName("output_modalities")] IReadOnlyList<string> OutputModalities);

public sealed record RouterSuccess([property: JsonPropertyName("success")] bool Success = true);

/// <summary>One GET /models/sse event, sent as a bare <c>data:</c> line.</summary>
public sealed record RouterEvent(
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("event")] string Event,
    [property: JsonPropertyName("data")] RouterStatusData Data);

public sealed record RouterStatusData([property: JsonPropertyName("status")] string Status);

/// <summary>llama-server's error envelope: like OpenAI's, with the HTTP status as a number in code.</summary>
public sealed record RouterErrorResponse([property: JsonPropertyName("error")] RouterError Error);

public sealed record RouterError(
    [property: JsonPropertyName("code")] int Code,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("type")] string Type);

/// <summary>GET /props without ?model=: the router's own properties, by which clients (the llama.cpp web UI) tell a router
/// from a single-model server; the model fields are the router's placeholders.</summary>
public sealed record RouterProps(
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("models_autoload")] bool ModelsAutoload,
    [property: JsonPropertyName("model_alias")] string ModelAlias,
    [property: JsonPropertyName("model_path")] string ModelPath,
    [property: JsonPropertyName("default_generation_settings")] RouterGenerationSettings DefaultGenerationSettings,
    [property: JsonPropertyName("build_info")] string BuildInfo)
{
    public static RouterProps Instance { get; } = new("router", true, "llama-server", "none", new RouterGenerationSettings(new Dictionary<string, object>(), 0), "llama-aspire");
}

public sealed record RouterGenerationSettings(
    [property: JsonPropertyName("params")] IReadOnlyDictionary<string, object> Params,
    [property: JsonPropertyName("n_ctx")] int ContextLength);
