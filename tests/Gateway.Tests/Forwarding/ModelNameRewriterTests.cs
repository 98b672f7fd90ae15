using System.Buffers;
using System.Text;
using LlamaAspire.Gateway.Forwarding;

namespace LlamaAspire.Gateway.Tests.Forwarding;

public sealed class ModelNameRewriterTests
{
    [Fact]
    public void Rewrite_SseEvents_SwapsEveryModelFieldAndNothingElse()
    {
        const string upstream = "data: {\"id\":\"c1\",\"model\":\"tiny-chat\",\"choices\":[{\"delta\":{\"content\":\"\\\"model\\\":\\\"tiny-chat\\\"\"}}]}\n\n"
            + "data: {\"model\":\"tiny-chat\",\"usage\":{}}\n\ndata: [DONE]\n\n";

        var relayed = Rewrite(new ModelNameRewriter("tiny-chat", "Tiny-Chat:latest"), upstream);

        Assert.Equal(
            "data: {\"id\":\"c1\",\"model\":\"Tiny-Chat:latest\",\"choices\":[{\"delta\":{\"content\":\"\\\"model\\\":\\\"tiny-chat\\\"\"}}]}\n\n"
            + "data: {\"model\":\"Tiny-Chat:latest\",\"usage\":{}}\n\ndata: [DONE]\n\n",
            relayed);
    }

    [Fact]
    public void Rewrite_NameNeedingEscapes_WritesValidJson()
    {
        var relayed = Rewrite(new ModelNameRewriter("org/model", "a \"quoted\" name"), "{\"model\":\"org/model\"}");

        Assert.Equal("{\"model\":\"a \\u0022quoted\\u0022 name\"}", relayed);
        Assert.Equal("a \"quoted\" name", System.Text.Json.JsonDocument.Parse(relayed).RootElement.GetProperty("model").GetString());
    }

    [Fact]
    public void Rewrite_SameName_PassesBytesUntouched()
    {
        var rewriter = new ModelNameRewriter("tiny-chat", "tiny-chat");

        Assert.True(rewriter.IsIdentity);
        Assert.Equal("{\"model\":\"tiny-chat\"}", Rewrite(rewriter, "{\"model\":\"tiny-chat\"}"));
    }

    [Fact]
    public void Rewrite_OtherModelOrSpacing_IsLeftAlone()
    {
        var relayed = Rewrite(new ModelNameRewriter("a", "b"), "{\"model\":\"ab\",\"model\": \"a\"}");

        Assert.Equal("{\"model\":\"ab\",\"model\": \"a\"}", relayed);
    }

    private static string Rewrite(ModelNameRewriter rewriter, string input)
    {
        var output = new ArrayBufferWriter<byte>();
        rewriter.Rewrite(Encoding.UTF8.GetBytes(input), output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }
}
