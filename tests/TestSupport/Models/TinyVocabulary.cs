namespace LlamaAspire.TestSupport.Models;

/// <summary>
/// A SentencePiece-style ("llama") vocabulary: control tokens, the 256 byte-fallback tokens
/// and one normal token per printable ASCII character, so any text tokenizes.
/// </summary>
public static class TinyVocabulary
{
    public const int UnknownId = 0;
    public const int BosId = 1;
    public const int EosId = 2;
    public const int ImStartId = 3;
    public const int ImEndId = 4;
    public const int FirstByteId = 5;

    /// <summary>llama.cpp's token types (tokenizer.ggml.token_type).</summary>
    public const int TypeNormal = 1;
    public const int TypeUnknown = 2;
    public const int TypeControl = 3;
    public const int TypeByte = 6;

    /// <summary>SentencePiece writes a space as U+2581.</summary>
    public const string SpaceMarker = "\u2581";

    public static IReadOnlyList<string> Tokens { get; } = BuildTokens();

    public static int Count => Tokens.Count;

    public static int[] TokenTypes() =>
        [.. Tokens.Select((_, id) => id switch
        {
            UnknownId => TypeUnknown,
            < FirstByteId => TypeControl,
            < FirstByteId + 256 => TypeByte,
            _ => TypeNormal,
        })];

    /// <summary>Control and byte tokens score 0; normal tokens get falling scores, as in real SPM files.</summary>
    public static float[] Scores() =>
        [.. Tokens.Select((_, id) => id < FirstByteId + 256 ? 0f : -(id - FirstByteId - 256) - 1f)];

    private static string[] BuildTokens()
    {
        var tokens = new List<string> { "<unk>", "<s>", "</s>", "<|im_start|>", "<|im_end|>" };
        for (var b = 0; b < 256; b++) tokens.Add($"<0x{b:X2}>");
        tokens.Add(SpaceMarker);
        for (var c = '!'; c <= '~'; c++) tokens.Add(c.ToString());
        return [.. tokens];
    }
}
