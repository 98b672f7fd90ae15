using System.Net;
using System.Security.Cryptography;
using LlamaAspire.Gateway.Forwarding;
using LlamaAspire.Gateway.Responses;
using LlamaAspire.Gateway.Upstream;

namespace LlamaAspire.Gateway.LmStudio;

/// <summary>
/// LM Studio's REST v1 chat as a <see cref="IChatDialect"/>: errors in LM Studio's envelope, an unknown model named
/// with a few known ones, conversations kept in <see cref="ResponsesStore"/> for previous_response_id. One instance per
/// request: it remembers whether the model was loaded before the lease, so load stats are reported only for a load
/// this request waited for.
/// </summary>
public sealed class LmStudioV1ChatDialect(ResponsesStore store, MetadataClient metadata, LmStudioRunners runners) : IChatDialect
{
    private bool _wasLoaded;

    public ChatTranslation Translate(ReadOnlyMemory<byte> body) => LmStudioV1ChatRequestTranslator.Translate(body, store.Find);

    public IResult Refuse(int status, string message, string? param = null) =>
        LmStudioErrors.Error((HttpStatusCode)status, message, status >= 500 ? "server_error" : LmStudioErrors.InvalidRequest, param,
            status == StatusCodes.Status413RequestEntityTooLarge ? "request_too_large" : null);

    public IResult Refused(string model, LeaseRefusal refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        return refusal.Status == HttpStatusCode.NotFound ? new InvalidModelResult(model, metadata) : LmStudioErrors.Refused(refusal);
    }

    /// <summary>
    /// Reads the model's runner while the lease is requested: ready means loaded already; absent, queued or loading
    /// means the lease waits for a load (read after the lease started it, the runner shows loading, which is right too).
    /// </summary>
    public async Task OnLeasingAsync(ChatRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            _wasLoaded = (await runners.FindAsync(request.Model, ct))?.IsLoaded == true;
        }
        catch (OperationCanceledException)
        {
            // The client left: the lease is abandoned too.
        }
    }

    public IChatAnswerTranslator Answer(ChatRequest request) => Answer(request, new ChatLease(request?.Model ?? "", TimeSpan.Zero));

    public IChatAnswerTranslator Answer(ChatRequest request, ChatLease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return new LmStudioV1ChatAnswerTranslator(request, lease.Model, _wasLoaded ? null : lease.Wait, NewId, store.Save);
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
