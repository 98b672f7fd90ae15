using LlamaAspire.TestSupport.LlamaServer;

namespace LlamaAspire.TestSupport.Tests.LlamaServer;

public sealed class LlamaServerLocatorTests
{
    [Fact]
    public void TryFind_ExplicitPath_WinsOverEverything()
    {
        using var dir = new TempDirectory("locate");
        var explicitBinary = FakeBinary(dir.Combine("explicit", LlamaServerLocator.ExecutableName));
        var fromEnv = FakeBinary(dir.Combine("env", LlamaServerLocator.ExecutableName));

        var found = LlamaServerLocator.TryFind(explicitBinary, Env(dir, (LlamaServerLocator.PathVariable, fromEnv)));

        Assert.Equal(explicitBinary, found);
    }

    [Fact]
    public void TryFind_EnvVariable_WinsOverPathAndCache()
    {
        using var dir = new TempDirectory("locate");
        var fromEnv = FakeBinary(dir.Combine("env", LlamaServerLocator.ExecutableName));
        FakeBinary(dir.Combine("onpath", LlamaServerLocator.ExecutableName));

        var found = LlamaServerLocator.TryFind(null, Env(dir, (LlamaServerLocator.PathVariable, fromEnv), ("PATH", dir.Combine("onpath"))));

        Assert.Equal(fromEnv, found);
    }

    [Fact]
    public void TryFind_MissingExplicitPath_Throws()
    {
        using var dir = new TempDirectory("locate");

        Assert.Throws<FileNotFoundException>(() => LlamaServerLocator.TryFind(dir.Combine("nope"), Env(dir)));
    }

    [Fact]
    public void TryFind_OnPath_SkipsNonExecutableFiles()
    {
        using var dir = new TempDirectory("locate");
        File.WriteAllText(dir.Combine(LlamaServerLocator.ExecutableName), "not executable");
        var good = FakeBinary(dir.Combine("bin2", LlamaServerLocator.ExecutableName));

        var found = LlamaServerLocator.TryFind(null, Env(dir, ("PATH", $"{dir.Path}{Path.PathSeparator}{dir.Combine("bin2")}")));

        Assert.Equal(good, found);
    }

    [Fact]
    public void TryFind_OnlyCache_PrefersNewestCompleteBuild()
    {
        using var dir = new TempDirectory("locate");
        var cache = dir.Combine("home", "cache", "llama-server");
        FakeBinary(Path.Combine(cache, "3.9.0", "bin", LlamaServerLocator.ExecutableName));
        File.WriteAllText(Path.Combine(cache, "3.9.0", ".complete"), "");
        var newest = FakeBinary(Path.Combine(cache, "3.22.1", "bin", LlamaServerLocator.ExecutableName));
        File.WriteAllText(Path.Combine(cache, "3.22.1", ".complete"), "");
        FakeBinary(Path.Combine(cache, "4.0.0", "bin", LlamaServerLocator.ExecutableName)); // still building

        var found = LlamaServerLocator.TryFind(null, Env(dir));

        Assert.Equal(newest, found);
    }

    [Fact]
    public void TryFind_NothingAnywhere_ReturnsNull()
    {
        using var dir = new TempDirectory("locate");

        Assert.Null(LlamaServerLocator.TryFind(null, Env(dir)));
    }

    [Fact]
    public void FindRepositoryRoot_FromTestOutput_FindsTheSolutionAndBuildScript()
    {
        var root = LlamaServerLocator.FindRepositoryRoot();

        Assert.NotNull(root);
        Assert.True(File.Exists(Path.Combine(root, LlamaServerLocator.BuildScript)));
    }

    [Fact]
    public async Task LlamaServerBinary_GetPathAsync_ReturnsAnExecutableOnce()
    {
        var first = await LlamaServerBinary.GetPathAsync();
        var second = await LlamaServerBinary.GetPathAsync();

        Assert.Same(first, second);
        Assert.True(File.Exists(first));
    }

    [Fact]
    public async Task BuildAsync_FinishedCache_ReusesItWithoutBuilding()
    {
        var cacheRoot = Path.Combine(LlamaServerLocator.HomeDirectory(), "cache", "llama-server");
        var finished = Directory.Exists(cacheRoot) && Directory.EnumerateFiles(cacheRoot, ".complete", SearchOption.AllDirectories).Any();
        Assert.SkipUnless(finished, "No finished llama-server build in the cache; this test must not start one.");
        var logged = new List<string>();

        var path = await LlamaServerLocator.BuildAsync(LlamaServerLocator.FindRepositoryRoot()!, logged.Add, TestContext.Current.CancellationToken);

        Assert.StartsWith(cacheRoot, path, StringComparison.Ordinal);
        Assert.True(File.Exists(path));
        Assert.Contains(logged, line => line.Contains("reusing", StringComparison.Ordinal));
    }

    /// <summary>An environment holding only the given variables, with the home inside the test dir.</summary>
    private static Func<string, string?> Env(TempDirectory dir, params (string Name, string Value)[] variables)
    {
        var map = variables.ToDictionary(v => v.Name, v => v.Value);
        map.TryAdd(LlamaServerLocator.HomeVariable, dir.Combine("home"));
        map.TryAdd("PATH", dir.Combine("empty-path"));
        return name => map.GetValueOrDefault(name);
    }

    private static string FakeBinary(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "#!/bin/sh\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }
}
