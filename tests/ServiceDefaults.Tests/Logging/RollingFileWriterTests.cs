using System.Globalization;
using LlamaAspire.ServiceDefaults.Logging;
using LlamaAspire.ServiceDefaults.Tests.Support;

namespace LlamaAspire.ServiceDefaults.Tests.Logging;

public sealed class RollingFileWriterTests : IDisposable
{
    private const int SizeLimit = 1024;
    private static readonly string[] OldestToNewest = ["svc.2.log", "svc.1.log", "svc.log"];
    private readonly TempDirectory _logs = new();

    public void Dispose() => _logs.Dispose();

    [Fact]
    public void Enqueue_PastSizeLimit_RollsIntoNumberedFilesAndKeepsRetainedCount()
    {
        var path = _logs.File("svc.log");
        using (var writer = new RollingFileWriter(new RollingFileOptions(path, SizeLimit, RetainedFileCount: 3)))
        {
            for (var i = 0; i < 100; i++)
            {
                writer.Enqueue(NumberedLine(i));
            }
        }

        Assert.Equal(["svc.1.log", "svc.2.log", "svc.log"], Directory.GetFiles(_logs.Path).Select(Path.GetFileName).Order());
        Assert.All(Directory.GetFiles(_logs.Path), file => Assert.InRange(new FileInfo(file).Length, 1, SizeLimit));
        var oldestToNewest = OldestToNewest.SelectMany(name => File.ReadAllLines(_logs.File(name))).ToList();
        var numbers = oldestToNewest.Select(line => int.Parse(line[5..8], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(99, numbers[^1]);
        Assert.Equal(Enumerable.Range(numbers[0], numbers.Count), numbers);
    }

    [Fact]
    public void Enqueue_ExistingFileNearLimit_CountsItsSizeAndRollsItAway()
    {
        var path = _logs.File("svc.log");
        File.WriteAllText(path, new string('o', SizeLimit - 10) + "\n");

        using (var writer = new RollingFileWriter(new RollingFileOptions(path, SizeLimit, RetainedFileCount: 5)))
        {
            writer.Enqueue(NumberedLine(1));
        }

        Assert.StartsWith("ooo", File.ReadAllText(_logs.File("svc.1.log")), StringComparison.Ordinal);
        Assert.Equal([NumberedLine(1)], File.ReadAllLines(path));
    }

    [Fact]
    public void Enqueue_SmallExistingFile_Appends()
    {
        var path = _logs.File("svc.log");
        File.WriteAllText(path, "earlier run\n");

        using (var writer = new RollingFileWriter(new RollingFileOptions(path, SizeLimit, RetainedFileCount: 5)))
        {
            writer.Enqueue("this run");
        }

        Assert.Equal(["earlier run", "this run"], File.ReadAllLines(path));
    }

    [Fact]
    public void Enqueue_RetainedFileCountOne_StartsOverWithoutArchives()
    {
        var path = _logs.File("svc.log");
        using (var writer = new RollingFileWriter(new RollingFileOptions(path, SizeLimit, RetainedFileCount: 1)))
        {
            for (var i = 0; i < 30; i++)
            {
                writer.Enqueue(NumberedLine(i));
            }
        }

        Assert.Equal([path], Directory.GetFiles(_logs.Path));
        Assert.EndsWith(NumberedLine(29), File.ReadAllLines(path)[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void Enqueue_DirectoryCannotBeCreated_DropsLinesWithoutThrowing()
    {
        var blocker = _logs.File("not-a-directory");
        File.WriteAllText(blocker, "");
        var path = Path.Combine(blocker, "svc.log");

        var exception = Record.Exception(() =>
        {
            using var writer = new RollingFileWriter(new RollingFileOptions(path, SizeLimit, RetainedFileCount: 5));
            writer.Enqueue("lost");
        });

        Assert.Null(exception);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Enqueue_AfterDispose_IsIgnored()
    {
        var path = _logs.File("svc.log");
        var writer = new RollingFileWriter(new RollingFileOptions(path, SizeLimit, RetainedFileCount: 5));
        writer.Enqueue("kept");
        writer.Dispose();

        writer.Enqueue("ignored");

        Assert.Equal(["kept"], File.ReadAllLines(path));
    }

    // 5 + 3 + 1 + 80 + newline = 90 bytes, so 11 lines fit in 1 KiB.
    private static string NumberedLine(int number) =>
        $"line {number.ToString("D3", CultureInfo.InvariantCulture)} {new string('x', 80)}";
}
