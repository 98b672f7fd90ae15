using System.ComponentModel.DataAnnotations;

namespace LlamaAspire.Gateway;

public sealed class GatewayOptions
{
    public const string SectionName = "Gateway";

    /// <summary>Larger request bodies get 413 in the caller's dialect. Images travel base64 inside bodies, hence the room.</summary>
    [Range(1024, long.MaxValue)]
    public long MaxRequestBodyBytes { get; set; } = 64L * 1024 * 1024;
}
