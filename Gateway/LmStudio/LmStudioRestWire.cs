using System.Text.Json.Serialization;

namespace LlamaAspire.Gateway.LmStudio;

/// <summary>LM Studio's error object, as its OpenAI-compatible and REST routes send it.</summary>
public sealed record LmStudioErrorEnvelope([property: JsonPropertyName("error")] LmStudioErrorBody Error);

public sealed record LmStudioErrorBody(
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("param")] string? Param,
    [property: JsonPropertyName("code")] string? Code);

/// <summary>GET /api/v0/models.</summary>
public sealed record LmStudioV0ModelList(
    [property: JsonPropertyName("data")] IReadOnlyList<LmStudioV0Model> Data,
    [property: JsonPropertyName("object")] string ObjectType = "list");

/// <summary>A model as REST v0 lists it; <see cref="LoadedContextLength"/> only while it is loaded.</summary>
public sealed record LmStudioV0Model(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("object")] string ObjectType,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("publisher")] string Publisher,
    [property: JsonPropertyName("arch")] string? Arch,
    [property: JsonPropertyName("compatibility_type")] string CompatibilityType,
    [property: JsonPropertyName("quantization")] string? Quantization,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("max_context_length")] long? MaxContextLength,
    [property: JsonPropertyName("loaded_context_length"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? LoadedContextLength,
    [property: JsonPropertyName("capabilities")] IReadOnlyList<string> Capabilities);

/// <summary>GET /api/v1/models.</summary>
public sealed record LmStudioV1ModelList([property: JsonPropertyName("models")] IReadOnlyList<LmStudioV1Model> Models);

/// <summary>A model as REST v1 lists it; <see cref="Architecture"/> and <see cref="Capabilities"/> are absent for embedding models.</summary>
public sealed record LmStudioV1Model(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("publisher")] string Publisher,
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("display_name")] string DisplayName,
    [property: JsonPropertyName("architecture"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Architecture,
    [property: JsonPropertyName("quantization")] LmStudioV1Quantization? Quantization,
    [property: JsonPropertyName("size_bytes")] long SizeBytes,
    [property: JsonPropertyName("params_string")] string? ParamsString,
    [property: JsonPropertyName("loaded_instances")] IReadOnlyList<LmStudioV1Instance> LoadedInstances,
    [property: JsonPropertyName("max_context_length")] long? MaxContextLength,
    [property: JsonPropertyName("format")] string Format,
    [property: JsonPropertyName("capabilities"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] LmStudioV1Capabilities? Capabilities);

public sealed record LmStudioV1Quantization(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("bits_per_weight")] double? BitsPerWeight);

public sealed record LmStudioV1Instance(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("config")] LmStudioV1InstanceConfig Config);

public sealed record LmStudioV1InstanceConfig(
    [property: JsonPropertyName("context_length")] int ContextLength,
    [property: JsonPropertyName("parallel"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Parallel);

public sealed record LmStudioV1Capabilities(
    [property: JsonPropertyName("vision")] bool Vision,
    [property: JsonPropertyName("trained_for_tool_use")] bool TrainedForToolUse);

/// <summary>POST /api/v1/models/load's answer.</summary>
public sealed record LmStudioV1LoadResponse(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("instance_id")] string InstanceId,
    [property: JsonPropertyName("load_time_seconds")] double LoadTimeSeconds,
    [property: JsonPropertyName("status")] string Status = "loaded");

/// <summary>POST /api/v1/models/unload's answer.</summary>
public sealed record LmStudioV1UnloadResponse([property: JsonPropertyName("instance_id")] string InstanceId);
