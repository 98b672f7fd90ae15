using System.Text;
using System.Text.Json;
using LlamaAspire.Gateway.Forwarding;

namespace LlamaAspire.Gateway.Tests.Forwarding;

public sealed class AssistantRoleFixTests
{
    // As llama-server 3.22.1 streams a turn whose first token is a held-back partial UTF-8 sequence: no role chunk.
    private const string WithoutRole =
        "data: {\"choices\":[{\"finish_reason\":null,\"index\":0,\"delta\":{\"content\":\"\u06da\"}}],\"id\":\"c1\",\"object\":\"chat.completion.chunk\"}\n\n"
        + "data: {\"choices\":[{\"finish_reason\":null,\"index\":0,\"delta\":{\"content\":\"?\"}}],\"id\":\"c1\",\"object\":\"chat.completion.chunk\"}\n\n"
        + "data: [DONE]\n\n";

    [Fact]
    public void Apply_FirstChunkWithoutRole_AddsAssistantRoleToItsDeltaOnly()
    {
        var relayed = Apply(new AssistantRoleFix(), WithoutRole);

        Assert.Equal(WithoutRole.Replace("{\"content\":\"\u06da\"}", "{\"role\":\"assistant\",\"content\":\"\u06da\"}", StringComparison.Ordinal), relayed);
        var first = JsonDocument.Parse(relayed.Split("\n\n")[0]["data: ".Length..]).RootElement;
        Assert.Equal("assistant", first.GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
    }

    [Fact]
    public void Apply_EmptyFirstDelta_AddsRoleWithoutComma()
    {
        const string finishOnly = "data: {\"choices\":[{\"finish_reason\":\"stop\",\"index\":0,\"delta\":{}}],\"object\":\"chat.completion.chunk\"}\n\n";

        var relayed = Apply(new AssistantRoleFix(), finishOnly);

        Assert.Contains("\"delta\":{\"role\":\"assistant\"}", relayed, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(relayed.Trim()["data: ".Length..]).RootElement.ValueKind);
    }

    [Fact]
    public void Apply_FirstChunkWithRole_PassesTheStreamUnchanged()
    {
        const string withRole =
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null}}],\"object\":\"chat.completion.chunk\"}\n\n"
            + "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"D\"}}],\"object\":\"chat.completion.chunk\"}\n\n";
        var fix = new AssistantRoleFix();

        Assert.Equal(withRole, Apply(fix, withRole));
        Assert.True(fix.IsDone);
    }

    [Fact]
    public void Apply_LaterBatches_AreNeverChanged()
    {
        var fix = new AssistantRoleFix();
        var events = WithoutRole.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => e + "\n\n").ToList();

        Apply(fix, events[0]);

        Assert.Equal(events[1], Apply(fix, events[1]));
    }

    [Fact]
    public void Apply_TextCompletionStream_PassesUnchanged()
    {
        const string completion = "data: {\"choices\":[{\"text\":\"x\",\"index\":0}],\"object\":\"text_completion\"}\n\ndata: [DONE]\n\n";

        Assert.Equal(completion, Apply(new AssistantRoleFix(), completion));
    }

    [Fact]
    public void Apply_CommentBeforeFirstChunk_FixesTheFirstDataEvent()
    {
        var relayed = Apply(new AssistantRoleFix(), ": ping\n\n" + WithoutRole);

        Assert.StartsWith(": ping\n\ndata: {\"choices\":[{\"finish_reason\":null,\"index\":0,\"delta\":{\"role\":\"assistant\",", relayed, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_RoleTextInsideContent_IsNotTakenForTheKey()
    {
        const string quoted = "data: {\"choices\":[{\"delta\":{\"content\":\"\\\"role\\\": x\"}}],\"object\":\"chat.completion.chunk\"}\n\n";

        Assert.StartsWith("data: {\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\"", Apply(new AssistantRoleFix(), quoted), StringComparison.Ordinal);
    }

    private static string Apply(AssistantRoleFix fix, string events) => Encoding.UTF8.GetString(fix.Apply(Encoding.UTF8.GetBytes(events)));
}
