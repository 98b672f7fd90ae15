using System.Diagnostics;
using System.Globalization;
using LlamaAspire.RunnerAgent.Metadata;

namespace LlamaAspire.RunnerAgent.Tests.Support;

/// <summary>Real faults from outside: a model file that never delivers bytes, a frozen process.</summary>
internal static class Posix
{
    /// <summary>A FIFO nobody writes to: opening it blocks forever.</summary>
    public static async Task<ModelInfo> FifoModelAsync(string path, string id)
    {
        await RunAsync("mkfifo", path);
        return new ModelInfo(id, path, 0);
    }

    public static Task SignalAsync(int pid, string signal) => RunAsync("kill", "-" + signal, pid.ToString(CultureInfo.InvariantCulture));

    private static async Task RunAsync(string program, params string[] args)
    {
        var startInfo = new ProcessStartInfo(program);
        foreach (var arg in args) startInfo.ArgumentList.Add(arg);
        using var process = Process.Start(startInfo)!;
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.Equal(0, process.ExitCode);
    }
}
