using System.Text.Json.Nodes;
using LlamaAspire.Gateway.Responses;

namespace LlamaAspire.Gateway.Tests.Responses;

public sealed class ResponsesStoreTests
{
    [Fact]
    public void Find_Saved_GivesACopyEachTime()
    {
        var store = new ResponsesStore();
        store.Save("resp_1", Conversation("hello"));

        var first = store.Find("resp_1")!;
        first.Add(new JsonObject { ["role"] = "user", ["content"] = "changed" });

        Assert.Single(store.Find("resp_1")!);
        Assert.Null(store.Find("resp_2"));
    }

    [Fact]
    public void Save_PastMaxEntries_DropsTheLeastRecentlyUsed()
    {
        var store = new ResponsesStore(maxEntries: 2, maxBytes: 1 << 20);
        store.Save("resp_1", Conversation("one"));
        store.Save("resp_2", Conversation("two"));
        Assert.NotNull(store.Find("resp_1"));   // now the most recently used

        store.Save("resp_3", Conversation("three"));

        Assert.Equal(2, store.Count);
        Assert.NotNull(store.Find("resp_1"));
        Assert.Null(store.Find("resp_2"));
        Assert.NotNull(store.Find("resp_3"));
    }

    [Fact]
    public void Save_PastMaxBytes_DropsOldestAndNeverKeepsOneLargerThanTheStore()
    {
        var size = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(Conversation(new string('x', 100))).Length;
        var store = new ResponsesStore(maxEntries: 100, maxBytes: size * 2);
        store.Save("resp_1", Conversation(new string('x', 100)));
        store.Save("resp_2", Conversation(new string('y', 100)));
        store.Save("resp_3", Conversation(new string('z', 100)));
        store.Save("resp_huge", Conversation(new string('h', size * 3)));

        Assert.Equal(2, store.Count);
        Assert.Null(store.Find("resp_1"));
        Assert.Null(store.Find("resp_huge"));
        Assert.NotNull(store.Find("resp_3"));
    }

    private static JsonArray Conversation(string text) => [new JsonObject { ["role"] = "user", ["content"] = text }];
}
