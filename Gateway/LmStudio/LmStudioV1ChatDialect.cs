using System.Net;
using System.Security.Cryptography;
using LlamaAspire.Gateway.Forwarding;
using LlamaAspire.Gateway.Responses;
using LlamaAspire.Gateway.Upstream;

namespace LlamaAspire.Gateway.LmStudio;

/// <summary>
/// LM Studio's REST v1 chat as a <see cref="IChatDialect"/>: errors in LM Studio's envelope, an unknown model named
/// with a few known ones, conversations kept in <see cref="ResponsesStore"/> for previous_response_id.
/// </summary>
public sealed class LmStudioV1ChatDialect(ResponsesStore store, MetadataClient metadata) : IChatDialect
{
    /// <summary>
    /// A lease that took this long is taken to have loaded the model (LM Studio reports load stats only then). Leasing a
    /// loaded model takes milliseconds; starting llama-server, even on a tiny model, takes far longer.
    /// </summary>
    public static readonly TimeSpan LoadThreshold = TimeSpan.FromMilliseconds(100);

    public ChatTranslation Translate(ReadOnlyMemory<byte> body) => LmStudioV1ChatRequestTranslator.Translate(body, store.Find);

    public IResult Refuse(int status, string message, string? param = null) =>
        LmStudioErrors.Error((HttpStatusCode)status, message, status >= 500 ? "server_error" : LmStudioErrors.InvalidRequest, param,
            status == StatusCodes.Status413RequestEntityTooLarge ? "request_too_large" : null);

    public IResult Refused(string model, LeaseRefusal refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        return refusal.Status == HttpStatusCode.NotFound ? new InvalidModelResult(model, metadata) : LmStudioErrors.Refused(refusal);
    }

    public IChatAnswerTranslator Answer(ChatRequest request) => Answer(request, new ChatLease(request?.Model ?? "", TimeSpan.Zero));

    public IChatAnswerTranslator Answer(ChatRequest request, ChatLease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return new LmStudioV1ChatAnswerTranslator(request, lease.Model, lease.Wait >= LoadThreshold ? lease.Wait : null, NewId, store.Save);
    }

    /// <summary>LM Studio's form: "resp_" and 48 lowercase hex digits.</summary>
    public static string NewId(string prefix) => $"{prefix}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24))}";

    /// <summary>LM Studio's unknown-model answer, which names a few known models: the catalog is asked only when it is written.</summary>
    private sealed class InvalidModelResult(string model, MetadataClient metadata) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            IReadOnlyList<string> known;
            try
            {
                known = [.. (await metadata.ListModelsAsync(httpContext.RequestAborted)).Select(m => m.Id)];
            }
            catch (MetadataUnavailableException)
            {
                known = [];
            }
            await LmStudioErrors.InvalidModel(model, known).ExecuteAsync(httpContext);
        }
    }
}
