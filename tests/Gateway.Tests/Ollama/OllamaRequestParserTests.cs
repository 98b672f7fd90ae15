using System.Text;
using LlamaAspire.Gateway.Ollama;

namespace LlamaAspire.Gateway.Tests.Ollama;

public sealed class OllamaRequestParserTests
{
    [Theory]
    [InlineData("", "missing request body")]
    [InlineData("  \n", "missing request body")]
    [InlineData("{}", "model is required")]
    [InlineData("null", "model is required")]
    [InlineData("""{"model":""}""", "model is required")]
    [InlineData("""{"model":"m","think":"extreme"}""", "invalid think value: \"extreme\" (must be \"low\", \"medium\", \"high\", \"max\", true, or false)")]
    [InlineData("""{"model":"m","keep_alive":true}""", "Unsupported type: 'bool'")]
    [InlineData("""{"model":"m","keep_alive":"soon"}""", "time: invalid duration \"soon\"")]
    [InlineData("""{"model":"m","options":{"temperature":"hot"}}""", "option \"temperature\" must be of type float")]
    [InlineData("""{"model":"m","options":{"num_ctx":"big"}}""", "option \"num_ctx\" must be of type integer")]
    [InlineData("""{"model":"m","options":{"stop":[1]}}""", "option \"stop\" must be of type array of strings")]
    [InlineData("""{"model":"m","options":{"use_mmap":1}}""", "option \"use_mmap\" must be of type boolean")]
    [InlineData("""{"model":"m","format":"yaml"}""", "invalid format: \"yaml\"; expected \"json\" or a JSON schema object")]
    [InlineData("""{"model":"m","messages":"hi"}""", "invalid value for \"messages\": wrong type")]
    [InlineData("""{"model":"m","stream":"yes"}""", "invalid value for \"stream\": wrong type")]
    [InlineData("""[1,2]""", "the request body must be a JSON object")]
    [InlineData("""{"model":"m",""", "invalid JSON in request body (line 1, byte 13)")]
    public void ParseChat_BadRequest_ReturnsOllamaMessage(string body, string expected)
    {
        var parsed = OllamaRequestParser.ParseChat(Encoding.UTF8.GetBytes(body));

        Assert.False(parsed.IsValid);
        Assert.Null(parsed.Request);
        Assert.Equal(expected, parsed.Error);
    }

    [Fact]
    public void ParseChat_LegacyNameAndUpperCaseKeys_Accepted()
    {
        var parsed = OllamaRequestParser.ParseChat("""{"Name":"llama3.2","Messages":[{"role":"user","content":"hi"}],"keep_alive":0}"""u8);

        Assert.True(parsed.IsValid, parsed.Error);
        Assert.Equal("llama3.2", parsed.Request!.ModelName);
        Assert.Single(parsed.Request.Messages!);
        Assert.True(parsed.Request.Streams);
        Assert.Equal(TimeSpan.Zero, parsed.KeepAlive);
    }

    [Fact]
    public void ParseChat_ThinkLevelAndBool_Accepted()
    {
        Assert.True(OllamaRequestParser.ParseChat("""{"model":"m","think":"max"}"""u8).IsValid);
        Assert.True(OllamaRequestParser.ParseChat("""{"model":"m","think":true}"""u8).IsValid);
    }

    [Theory]
    [InlineData("""{"model":"m","prompt":"x","raw":true,"system":"s"}""")]
    [InlineData("""{"model":"m","prompt":"x","raw":true,"template":"{{ .Prompt }}"}""")]
    [InlineData("""{"model":"m","prompt":"x","raw":true,"context":[1,2]}""")]
    public void ParseGenerate_RawWithTemplating_Refused(string body)
    {
        var parsed = OllamaRequestParser.ParseGenerate(Encoding.UTF8.GetBytes(body));

        Assert.Equal(OllamaRequestParser.RawConflict, parsed.Error);
    }

    [Theory]
    [InlineData("""{"model":"m","input":"a"}""", 1)]
    [InlineData("""{"model":"m","input":["a","b"]}""", 2)]
    [InlineData("""{"model":"m","input":""}""", 0)]
    [InlineData("""{"model":"m","input":[]}""", 0)]
    [InlineData("""{"model":"m"}""", 0)]
    public void ParseEmbed_StringOrList_GivesInputs(string body, int count)
    {
        var parsed = OllamaRequestParser.ParseEmbed(Encoding.UTF8.GetBytes(body));

        Assert.True(parsed.IsValid, parsed.Error);
        Assert.Equal(count, parsed.Request!.Inputs.Count);
    }

    [Theory]
    [InlineData("""{"model":"m","input":5}""")]
    [InlineData("""{"model":"m","input":["a",5]}""")]
    public void ParseEmbed_OtherInputType_Refused(string body)
    {
        Assert.Equal(OllamaRequestParser.InvalidInputType, OllamaRequestParser.ParseEmbed(Encoding.UTF8.GetBytes(body)).Error);
    }

    [Fact]
    public void ParseEmbeddings_LegacyPrompt_Accepted()
    {
        var parsed = OllamaRequestParser.ParseEmbeddings("""{"model":"nomic-embed-text","prompt":"hello"}"""u8);

        Assert.True(parsed.IsValid, parsed.Error);
        Assert.Equal("hello", parsed.Request!.Prompt);
    }
}
