namespace LlamaAspire.MetadataService.Facts;

/// <summary>
/// Heuristics on a Jinja chat template's text. No template engine is run, so these can only say what the
/// template mentions:
/// tools — it reads a <c>tools</c> variable or renders <c>tool_calls</c> (every tool-aware template does one or the other);
/// thinking — it mentions <c>&lt;think&gt;</c>, <c>enable_thinking</c>, <c>reasoning_content</c> or <c>thinking</c> blocks,
/// the markers the reasoning model families (DeepSeek-R1, Qwen3, gpt-oss, Magistral…) use.
/// </summary>
public static class ChatTemplateTraits
{
    private static readonly string[] ToolMarkers = ["tools", "tool_calls"];
    private static readonly string[] ThinkingMarkers = ["<think>", "enable_thinking", "reasoning_content", "thinking"];

    public static bool SupportsTools(string? template) => ContainsAny(template, ToolMarkers);

    public static bool SupportsThinking(string? template) => ContainsAny(template, ThinkingMarkers);

    private static bool ContainsAny(string? text, string[] markers) =>
        text is not null && markers.Any(m => text.Contains(m, StringComparison.Ordinal));
}
