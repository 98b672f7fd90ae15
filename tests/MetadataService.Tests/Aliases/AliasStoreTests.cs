using LlamaAspire.MetadataService.Aliases;
using LlamaAspire.TestSupport;
using LlamaAspire.TestSupport.Time;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlamaAspire.MetadataService.Tests.Aliases;

public sealed class AliasStoreTests : IDisposable
{
    private readonly TempDirectory _home = new("aliases");
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 11, 22, 3, 0, 0, TimeSpan.Zero));

    public void Dispose() => _home.Dispose();

    [Fact]
    public void Set_ThenNewStore_KeepsTheAliasAcrossRestarts()
    {
        Store().Set("My-Copy:latest", "tiny-chat");

        var reloaded = Store();

        var alias = Assert.Single(reloaded.List());
        Assert.Equal(new ModelAlias("My-Copy:latest", "tiny-chat", _time.GetUtcNow()), alias);
        Assert.Equal(alias, reloaded.Find("my-copy:LATEST"));
    }

    [Fact]
    public void Set_AliasOfAnAlias_PointsAtTheModel()
    {
        var store = Store();
        store.Set("first:latest", "tiny-chat");

        var second = store.Set("second:latest", "FIRST:latest");

        Assert.Equal("tiny-chat", second.Target);
    }

    [Fact]
    public void Set_ExistingName_Retargets()
    {
        var store = Store();
        store.Set("copy:latest", "a");

        store.Set("COPY:latest", "b");

        Assert.Equal("b", Assert.Single(store.List()).Target);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("bad\nname")]
    public void Set_UnusableName_Throws(string name) =>
        Assert.Throws<ArgumentException>(() => Store().Set(name, "tiny-chat"));

    [Fact]
    public void Set_NameOverTheCap_Throws() =>
        Assert.Throws<ArgumentException>(() => Store().Set(new string('a', AliasStore.MaxNameLength + 1), "tiny-chat"));

    [Fact]
    public void Remove_KnownAndUnknownNames_RemovesOnlyTheKnownOne()
    {
        var store = Store();
        store.Set("copy:latest", "tiny-chat");

        Assert.True(store.Remove("Copy:Latest"));
        Assert.False(store.Remove("copy:latest"));
        Assert.Empty(Store().List());
    }

    [Fact]
    public void RemoveTarget_Model_DropsEveryAliasOfIt()
    {
        var store = Store();
        store.Set("a:latest", "tiny-chat");
        store.Set("b:latest", "tiny-chat");
        store.Set("c:latest", "other");

        Assert.Equal(2, store.RemoveTarget("TINY-chat"));
        Assert.Equal(["c:latest"], store.List().Select(a => a.Name));
    }

    [Fact]
    public void Constructor_CorruptFile_StartsEmptyAndKeepsTheFileAside()
    {
        var file = _home.Combine("aliases.json");
        File.WriteAllText(file, "{ not json");

        var store = Store();

        Assert.Empty(store.List());
        Assert.False(File.Exists(file));
        Assert.Equal("{ not json", File.ReadAllText(Assert.Single(Directory.GetFiles(_home.Path, "aliases.json.unreadable-*"))));
        store.Set("copy:latest", "tiny-chat");
        Assert.Single(Store().List());
    }

    [Fact]
    public void Set_Writes_LeavesNoTempFiles()
    {
        var store = Store();
        for (var i = 0; i < 5; i++) store.Set($"copy{i}:latest", "tiny-chat");

        Assert.Equal(["aliases.json"], Directory.GetFiles(_home.Path).Select(Path.GetFileName));
    }

    private AliasStore Store() => new(_home.Combine("aliases.json"), _time, NullLogger<AliasStore>.Instance);
}
