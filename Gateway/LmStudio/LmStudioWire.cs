using System.Text.Json.Serialization;

namespace LlamaAspire.Gateway.LmStudio;

/// <summary>LM Studio's GET /v1/models. It has no "created" field, and clients that copy LM Studio expect none.</summary>
public sealed record LmStudioModelList(
    [property: JsonPropertyName("data")] IReadOnlyList<LmStudioModel> Data,
    [property: JsonPropertyName("object")] string ObjectType = "list");

public sealed record LmStudioModel(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("object")] string ObjectType = "model",
    [property: JsonPropertyName("owned_by")] string OwnedBy = "organization_owner");

/// <summary>LM Studio's plain string error, e.g. for unknown routes (with status 200) and validation failures.</summary>
public sealed record LmStudioError([property: JsonPropertyName("error")] string Error);
