using LlamaAspire.MetadataService.Facts;

namespace LlamaAspire.MetadataService.Tests.Facts;

public sealed class QuantizationNamesTests
{
    [Theory]
    [InlineData(0u, "F32")]
    [InlineData(1u, "F16")]
    [InlineData(2u, "Q4_0")]
    [InlineData(7u, "Q8_0")]
    [InlineData(10u, "Q2_K")]
    [InlineData(12u, "Q3_K_M")]
    [InlineData(15u, "Q4_K_M")]
    [InlineData(17u, "Q5_K_M")]
    [InlineData(18u, "Q6_K")]
    [InlineData(21u, "Q2_K_S")]
    [InlineData(27u, "IQ3_M")]
    [InlineData(30u, "IQ4_XS")]
    [InlineData(32u, "BF16")]
    [InlineData(36u, "TQ1_0")]
    [InlineData(38u, "MXFP4_MOE")]
    [InlineData(41u, "Q2_0")]
    [InlineData(1024u + 15u, "Q4_K_M")]
    public void ForFileType_KnownId_IsLlamaCppsShortName(uint fileType, string expected) =>
        Assert.Equal(expected, QuantizationNames.ForFileType(fileType));

    [Theory]
    [InlineData(4u)]
    [InlineData(5u)]
    [InlineData(6u)]
    [InlineData(33u)]
    [InlineData(999u)]
    public void ForFileType_RemovedOrUnknownId_IsUnknown(uint fileType) =>
        Assert.Equal(QuantizationNames.Unknown, QuantizationNames.ForFileType(fileType));

    [Theory]
    [InlineData(0u, "F32")]
    [InlineData(8u, "Q8_0")]
    [InlineData(12u, "Q4_K")]
    [InlineData(30u, "BF16")]
    [InlineData(39u, "MXFP4")]
    [InlineData(4u, "unknown")]
    public void ForGgmlType_Id_IsTheTypeName(uint type, string expected) =>
        Assert.Equal(expected, QuantizationNames.ForGgmlType(type));
}
