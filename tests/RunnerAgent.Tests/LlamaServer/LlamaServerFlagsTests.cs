using System.Diagnostics;
using LlamaAspire.RunnerAgent.LlamaServer;
using LlamaAspire.TestSupport;
using LlamaAspire.TestSupport.LlamaServer;
using LlamaAspire.TestSupport.Processes;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlamaAspire.RunnerAgent.Tests.LlamaServer;

/// <summary>
/// Against the real binary, reached through a symlink in the test's temp dir: its own cache entry, and a marker for
/// the orphan check.
/// </summary>
public sealed class LlamaServerFlagsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("--ctx-size")]
    [InlineData("-c")]
    [InlineData("-np")]
    [InlineData("--parallel")]
    [InlineData("--embeddings")]
    [InlineData("--mmproj")]
    [InlineData("--host")]
    [InlineData("--port")]
    [InlineData("--alias")]
    [InlineData("--no-webui")]
    public async Task ProbeAsync_RealBinary_KnowsFlagsTheAgentPasses(string flag)
    {
        using var dir = new TempDirectory("flags-known");
        var flags = await LlamaServerFlags.ProbeAsync(await LinkAsync(dir));

        Assert.True(flags.Knows(flag), $"{flag} not among {flags.Flags.Count} flags");
        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task ProbeAsync_RealBinary_KvUnifiedMatchesHelpText()
    {
        using var dir = new TempDirectory("flags-kvu");
        var binary = await LinkAsync(dir);
        var flags = await LlamaServerFlags.ProbeAsync(binary);
        var help = await OutputAsync(binary, "--help");

        Assert.Equal(help.Contains("--kv-unified", StringComparison.Ordinal), flags.Knows("--kv-unified"));
        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task Problem_RealBinaryUnknownFlag_NamesFlagAndBinary()
    {
        using var dir = new TempDirectory("flags-unknown");
        var binary = await LinkAsync(dir);
        var flags = await LlamaServerFlags.ProbeAsync(binary);

        var problem = flags.Problem(["-c", "512", "--definitely-not-a-flag"]);

        Assert.NotNull(problem);
        Assert.Contains("--definitely-not-a-flag", problem, StringComparison.Ordinal);
        Assert.Contains(Path.GetFullPath(binary), problem, StringComparison.Ordinal);
        Assert.DoesNotContain("-c ", problem, StringComparison.Ordinal);
        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task Problem_RealBinaryAgentArgs_IsNull()
    {
        using var dir = new TempDirectory("flags-agent");
        var flags = await LlamaServerFlags.ProbeAsync(await LinkAsync(dir));

        Assert.Null(flags.Problem(["--host", "127.0.0.1", "--port", "0", "-m", "/m.gguf", "--alias", "tiny", "-np", "1", "--no-webui", "--embeddings", "-ngl", "-1"]));
        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    /// <summary>
    /// Whether this build still has --mlock / --no-mmap is asked of the binary itself: llama.cpp parses arguments in
    /// order, so "--mlock --version" exits 0 when --mlock is known and 1 ("invalid argument") when it is not.
    /// </summary>
    [Theory]
    [InlineData("--mlock")]
    [InlineData("--no-mmap")]
    [InlineData("--definitely-not-a-flag")]
    public async Task ProbeAsync_RealBinaryBooleanFlag_KnownExactlyWhenTheBinaryAcceptsIt(string flag)
    {
        using var dir = new TempDirectory("flags-oracle");
        var binary = await LinkAsync(dir);
        var flags = await LlamaServerFlags.ProbeAsync(binary);

        var accepted = await ExitCodeAsync(binary, flag, "--version") == 0;

        Assert.Equal(accepted, flags.Knows(flag));
        if (!accepted) Assert.Contains(flag, flags.Problem([flag]), StringComparison.Ordinal);
        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task ProbeAsync_RealBinary_ParsesVersion()
    {
        using var dir = new TempDirectory("flags-version");
        var binary = await LinkAsync(dir);
        var flags = await LlamaServerFlags.ProbeAsync(binary);
        var versionLine = (await OutputAsync(binary, "--version")).Split('\n').First(l => l.StartsWith("version: ", StringComparison.Ordinal));

        Assert.NotNull(flags.Version);
        Assert.StartsWith($"version: {flags.Version.Version}", versionLine, StringComparison.Ordinal);
        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task ProbeAsync_SameBinaryTwice_ProbesOnce()
    {
        using var dir = new TempDirectory("flags-cache");
        var binary = await LinkAsync(dir);

        var first = LlamaServerFlags.ProbeAsync(binary);
        var second = LlamaServerFlags.ProbeAsync(binary);

        Assert.Same(first, second);
        Assert.Same(await first, await second);
        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task ProbeAsync_MissingBinary_Throws()
    {
        using var dir = new TempDirectory("flags-missing");

        await Assert.ThrowsAnyAsync<Exception>(() => LlamaServerFlags.ProbeAsync(dir.Combine("llama-server")));
    }

    [Fact]
    public async Task ProbeAsync_FailedProbe_IsNotCached()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Needs a shell script.");
        using var dir = new TempDirectory("flags-retry");
        var real = await LlamaServerBinary.GetPathAsync();
        var fixedMarker = dir.Combine("fixed");
        // The same file (same path and mtime) fails until the marker exists, then is the real binary.
        var wrapper = dir.Combine("llama-server");
        await File.WriteAllTextAsync(wrapper, $"#!/bin/sh\n[ -e '{fixedMarker}' ] || exit 1\nexec '{real}' \"$@\"\n", Ct);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        await Assert.ThrowsAsync<InvalidOperationException>(() => LlamaServerFlags.ProbeAsync(wrapper));
        await File.WriteAllTextAsync(fixedMarker, "", Ct);
        var flags = await LlamaServerFlags.ProbeAsync(wrapper);

        Assert.True(flags.Knows("--ctx-size"));
        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task ValidateAsync_RealBinaryUnknownFlags_ThrowsNamingEach()
    {
        using var dir = new TempDirectory("flags-validate");
        var binary = await LinkAsync(dir);

        var e = await Assert.ThrowsAsync<LlamaServerFlagsException>(
            () => LlamaServerFlags.ValidateAsync(binary, ["-c", "512", "--definitely-not-a-flag", "--also-not-one", "1"], "model tiny's args", NullLogger.Instance));

        Assert.Equal(["--definitely-not-a-flag", "--also-not-one"], e.UnknownFlags);
        Assert.EndsWith("remove them from model tiny's args", e.Message, StringComparison.Ordinal);
        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task ValidateAsync_RealBinaryKnownFlags_Passes()
    {
        using var dir = new TempDirectory("flags-validate-ok");

        await LlamaServerFlags.ValidateAsync(await LinkAsync(dir), ["-c", "512", "--embeddings", "-ngl", "-1"], "model tiny's args", NullLogger.Instance);

        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    [Fact]
    public async Task ValidateAsync_BinaryWithoutHelp_LetsArgsThrough()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Needs a shell script.");
        using var dir = new TempDirectory("flags-nohelp");
        var binary = dir.Combine("llama-server");
        await File.WriteAllTextAsync(binary, "#!/bin/sh\nexit 1\n", Ct);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(binary, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        await LlamaServerFlags.ValidateAsync(binary, ["--whatever"], "model tiny's args", NullLogger.Instance);

        await ProcessAssert.NoneRunningAsync(dir.Path);
    }

    private static async Task<string> LinkAsync(TempDirectory dir)
    {
        var link = dir.Combine("llama-server");
        File.CreateSymbolicLink(link, await LlamaServerBinary.GetPathAsync());
        return link;
    }

    private static async Task<int> ExitCodeAsync(string binary, params string[] args)
    {
        using var process = Start(binary, args);
        var drain = Task.WhenAll(process.StandardOutput.ReadToEndAsync(Ct), process.StandardError.ReadToEndAsync(Ct));
        await process.WaitForExitAsync(Ct);
        await drain;
        return process.ExitCode;
    }

    private static async Task<string> OutputAsync(string binary, string arg)
    {
        using var process = Start(binary, [arg]);
        var stdout = process.StandardOutput.ReadToEndAsync(Ct);
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        return await stdout + "\n" + await stderr;
    }

    private static Process Start(string binary, string[] args)
    {
        var startInfo = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) startInfo.ArgumentList.Add(arg);
        return Process.Start(startInfo)!;
    }
}
