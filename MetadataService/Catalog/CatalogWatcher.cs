using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace LlamaAspire.MetadataService.Catalog;

/// <summary>
/// Keeps <see cref="ModelCatalog"/> live: a rescan on every file-system event under the model folders, and a periodic one
/// because watchers miss events (network shares, buffer overflows, folders created later).
/// </summary>
public sealed class CatalogWatcher(ModelCatalog catalog, ModelFileScanner scanner, IOptionsMonitor<MetadataOptions> options, TimeProvider time, ILogger<CatalogWatcher> logger)
    : BackgroundService
{
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Off the startup path: the first scan must not delay the host from serving.
        await Task.Yield();
        var watchers = scanner.Roots().Where(Directory.Exists).Select(Watch).ToList();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    catalog.Refresh();
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    Log.RescanFailed(logger, e.Message);
                }
                await WaitForChangeAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            watchers.ForEach(w => w.Dispose());
        }
    }

    private async Task WaitForChangeAsync(CancellationToken stoppingToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var delay = Task.Delay(options.CurrentValue.RescanInterval, time, cts.Token);
        var changed = _wake.Reader.WaitToReadAsync(cts.Token).AsTask();
        await Task.WhenAny(delay, changed).ConfigureAwait(false);
        await cts.CancelAsync().ConfigureAwait(false);
        stoppingToken.ThrowIfCancellationRequested();
        _wake.Reader.TryRead(out _);
    }

    private FileSystemWatcher Watch(string directory)
    {
        var watcher = new FileSystemWatcher(directory)
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.Size | NotifyFilters.LastWrite,
        };
        watcher.Created += OnChanged;
        watcher.Changed += OnChanged;
        watcher.Deleted += OnChanged;
        watcher.Renamed += OnChanged;
        watcher.Error += (_, _) => _wake.Writer.TryWrite(true);
        watcher.EnableRaisingEvents = true;
        return watcher;
    }

    private void OnChanged(object sender, FileSystemEventArgs e) => _wake.Writer.TryWrite(true);
}
