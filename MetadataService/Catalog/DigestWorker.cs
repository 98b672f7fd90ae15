using Microsoft.Extensions.Options;

namespace LlamaAspire.MetadataService.Catalog;

/// <summary>
/// Hashes the catalogued models one at a time in the background, on a lowest-priority thread (see <see cref="ModelDigest.ComputeAsync"/>);
/// a digest is never recomputed for an unchanged file.
/// </summary>
public sealed class DigestWorker(
    ModelFileScanner scanner, FactsCache cache, IOptionsMonitor<MetadataOptions> options, TimeProvider time, ILogger<DigestWorker> logger)
    : BackgroundService
{
    private volatile string? _current;

    /// <summary>The path being hashed now, or null between files.</summary>
    public string? Current => _current;

    /// <summary>One pass: hashes every model without a digest; returns how many were hashed.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var hashed = 0;
        foreach (var model in scanner.Scan())
        {
            cancellationToken.ThrowIfCancellationRequested();
            // The entry must exist for the digest to be kept; this is a cache hit for listed models.
            cache.GetFacts(model);
            if (cache.GetDigest(model) is not null) continue;
            try
            {
                var digest = model.ShardCount == 1 ? ModelDigest.FromBlobName(model.Path) : null;
                _current = model.Path;
                cache.SetDigest(model, digest ?? await ModelDigest.ComputeAsync(ModelFileScanner.ShardPaths(model), cancellationToken).ConfigureAwait(false));
                cache.Flush();
                hashed++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Log.DigestFailed(logger, model.Path, e.Message);
            }
            finally
            {
                _current = null;
            }
        }
        return hashed;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Off the startup path: the first pass must not delay the host from serving.
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken).ConfigureAwait(false);
                await Task.Delay(options.CurrentValue.DigestInterval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }
}
