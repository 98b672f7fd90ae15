using LlamaAspire.MetadataService.Facts;
using LlamaAspire.TestSupport.Models;

namespace LlamaAspire.MetadataService.Tests.Facts;

public sealed class ChatTemplateTraitsTests
{
    [Theory]
    [InlineData("{% if tools %}{{ tools | tojson }}{% endif %}")]
    [InlineData("{% for call in message.tool_calls %}{{ call.function.name }}{% endfor %}")]
    public void SupportsTools_TemplateUsingTools_IsTrue(string template) => Assert.True(ChatTemplateTraits.SupportsTools(template));

    [Theory]
    [InlineData("{{ '<think>\\n' }}")]
    [InlineData("{% if enable_thinking is defined and not enable_thinking %}{% endif %}")]
    [InlineData("{{ message.reasoning_content }}")]
    [InlineData("{% if message.thinking %}{{ message.thinking }}{% endif %}")]
    public void SupportsThinking_TemplateWithReasoningMarkers_IsTrue(string template) =>
        Assert.True(ChatTemplateTraits.SupportsThinking(template));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(TinyModels.ChatMlTemplate)]
    public void Traits_PlainOrMissingTemplate_AreFalse(string? template)
    {
        Assert.False(ChatTemplateTraits.SupportsTools(template));
        Assert.False(ChatTemplateTraits.SupportsThinking(template));
    }
}
