using System.Text;
using System.Threading.Channels;

namespace LlamaAspire.ServiceDefaults.Logging;

/// <summary>
/// Appends lines to <c>x.log</c> from one background task and rolls it to <c>x.1.log</c>, <c>x.2.log</c>, ...
/// when the next line would pass the size limit. Callers only enqueue, so they never wait on the disk,
/// and a disk error costs log lines, never an exception in the app.
/// </summary>
internal sealed class RollingFileWriter : IDisposable
{
    private static readonly TimeSpan DrainTimeoutOnDispose = TimeSpan.FromSeconds(5);

    private readonly RollingFileOptions _options;
    private readonly Channel<string> _lines;
    private readonly Task _pump;
    private FileStream? _file;
    private long _fileLength;

    public RollingFileWriter(RollingFileOptions options)
    {
        _options = options;
        _lines = Channel.CreateBounded<string>(new BoundedChannelOptions(options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.DropWrite,
            SingleReader = true,
        });
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>Queues a line; dropped if the queue is full or the writer is disposed.</summary>
    public void Enqueue(string line) => _lines.Writer.TryWrite(line);

    /// <summary>Writes what is queued, then closes the file.</summary>
    public void Dispose()
    {
        _lines.Writer.TryComplete();
        // WaitAny, unlike Wait, does not rethrow if the pump failed: disposal must never throw.
        Task.WaitAny([_pump], DrainTimeoutOnDispose);
    }

    private async Task PumpAsync()
    {
        var reader = _lines.Reader;
        while (await reader.WaitToReadAsync())
        {
            while (reader.TryRead(out var line))
            {
                WriteLine(line);
            }

            Flush();
        }

        CloseFile();
    }

    private void WriteLine(string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line + "\n");
        try
        {
            _file ??= OpenFile();
            if (_fileLength > 0 && _fileLength + bytes.Length > _options.FileSizeLimitBytes)
            {
                Roll();
                _file = OpenFile();
            }

            _file.Write(bytes);
            _fileLength += bytes.Length;
        }
        catch (Exception exception) when (IsFileSystemError(exception))
        {
            // The line is lost; reopen on the next one in case the problem was transient.
            CloseFile();
        }
    }

    private FileStream OpenFile()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_options.FilePath)!);
        var file = new FileStream(_options.FilePath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        _fileLength = file.Length;
        return file;
    }

    private void Roll()
    {
        CloseFile();
        var oldest = _options.RetainedFileCount - 1;
        if (oldest == 0)
        {
            File.Delete(_options.FilePath);
            return;
        }

        for (var index = oldest; index >= 1; index--)
        {
            var source = index == 1 ? _options.FilePath : ArchivePath(index - 1);
            if (File.Exists(source))
            {
                File.Move(source, ArchivePath(index), overwrite: true);
            }
        }
    }

    /// <summary><c>dir/x.log</c> → <c>dir/x.3.log</c>.</summary>
    internal string ArchivePath(int index) =>
        Path.Combine(
            Path.GetDirectoryName(_options.FilePath)!,
            $"{Path.GetFileNameWithoutExtension(_options.FilePath)}.{index}{Path.GetExtension(_options.FilePath)}");

    private void Flush()
    {
        try
        {
            _file?.Flush();
        }
        catch (Exception exception) when (IsFileSystemError(exception))
        {
            CloseFile();
        }
    }

    private void CloseFile()
    {
        try
        {
            _file?.Dispose();
        }
        catch (Exception exception) when (IsFileSystemError(exception))
        {
            // Closing failed as well; nothing is left to save.
        }

        _file = null;
        _fileLength = 0;
    }

    private static bool IsFileSystemError(Exception exception) =>
        exception is IOException or UnauthorizedAccessException or NotSupportedException or System.Security.SecurityException;
}
