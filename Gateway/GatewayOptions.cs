using System.ComponentModel.DataAnnotations;

namespace LlamaAspire.Gateway;

public sealed class GatewayOptions
{
    public const string SectionName = "Gateway";

    /// <summary>Larger request bodies get 413 in the caller's dialect. Images travel base64 inside bodies, hence the room.</summary>
    [Range(1024, long.MaxValue)]
    public long MaxRequestBodyBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// How long a request sent to a model's known llama-server before its lease came may wait for that lease and still
    /// be used (see <c>LeasedSend</c>). Kept well below the time llama-server needs to stop and start, so the server
    /// that answered is the one the lease names; zero turns the overlap off.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10")]
    public TimeSpan LeaseOverlapWindow { get; set; } = TimeSpan.FromMilliseconds(20);
}
