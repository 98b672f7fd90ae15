namespace LlamaAspire.ServiceDefaults.Tests.Telemetry;

public sealed class LlamaAspireTelemetryTests
{
    [Theory]
    [InlineData("Gateway", null, "LlamaAspire.Gateway")]
    [InlineData("RunnerAgent", "Runners", "LlamaAspire.RunnerAgent.Runners")]
    [InlineData("MetadataService", " ", "LlamaAspire.MetadataService")]
    public void SourceName_ServiceAndArea_FollowsNamingRule(string service, string? area, string expected) =>
        Assert.Equal(expected, LlamaAspireTelemetry.SourceName(service, area));

    [Fact]
    public void SourceName_BlankService_Throws() =>
        Assert.Throws<ArgumentException>(() => LlamaAspireTelemetry.SourceName(" "));

    [Fact]
    public void SourceWildcard_CoversThePrefix() =>
        Assert.Equal("LlamaAspire.*", LlamaAspireTelemetry.SourceWildcard);
}
