using GeoDsl.Composition.Catalog.Backbones;
using GeoDsl.Composition.Shapes;

namespace GeoDsl.Composition.Tests.Catalog.SatMae;

/// <summary>
/// The multispectral SatMAE encoder's tokens: class token + 3 band groups × (H/8)(W/8), 433 at its 96 px pretraining
/// size (backbone-facts.md §A3), recorded as 3 "frames" so reshape_tokens_to_image stacks the groups into channels.
/// </summary>
public sealed class SatMaeMultispectralShapeTests
{
    private static string TenBands => "bands = [" + string.Join(", ", SatMaeVariants.MultispectralBands) + "]";

    [Theory]
    [InlineData("satmae_vit_base_multispectral", 768, 12)]
    [InlineData("satmae_vit_large_multispectral", 1024, 24)]
    public void AtTheDefault96PixelsEveryBlockGives433Tokens(string backbone, int width, int depth)
    {
        var output = MaeFrontEnd.BackboneOutput(MaeFrontEnd.Model(TenBands, backbone));

        Assert.Equal(depth, output.Count);
        Assert.All(output.Tensors, t => Assert.Equal(TensorShape.Of(433, width), t));
        Assert.Equal(new TokenLayout(true, 3, 12, 12), output.Tokens);
    }

    [Fact]
    public void ANonSquareSizeGivesAGridOfRowsAndColumns()
    {
        var output = MaeFrontEnd.BackboneOutput(MaeFrontEnd.Model(TenBands + ", size = [48, 80]", "satmae_vit_large_multispectral { out_indices = [5, 11, 17, 23] }"));

        Assert.Equal(4, output.Count);
        Assert.All(output.Tensors, t => Assert.Equal(TensorShape.Of(1 + (3 * 6 * 10), 1024), t));
        Assert.Equal(new TokenLayout(true, 3, 6, 10), output.Tokens);
    }

    [Fact]
    public void ReshapingStacksTheThreeGroupsIntoChannels()
    {
        var analysis = TestModels.Single(TestModels.Compile(MaeFrontEnd.Model(TenBands, "satmae_vit_base_multispectral")));

        var maps = analysis.Trace.Stages.Single(s => s.Name == "reshape_tokens_to_image").Output;

        Assert.Equal(TensorShape.Of(3 * 768, 12, 12), Assert.Single(maps.Tensors));
    }

    [Fact]
    public void ThirteenL1CBandsAreAcceptedAndTheDroppedOnesIgnored()
    {
        var output = MaeFrontEnd.BackboneOutput(MaeFrontEnd.Model(
            "bands = [COASTAL_AEROSOL, BLUE, GREEN, RED, RED_EDGE_1, RED_EDGE_2, RED_EDGE_3, NIR_BROAD, NIR_NARROW, WATER_VAPOR, CIRRUS, SWIR_1, SWIR_2]",
            "satmae_vit_base_multispectral"));

        Assert.Equal(TensorShape.Of(433, 768), output.Tensors[0]);
    }

    [Fact]
    public void AMissingGroupBandIsReportedWithItsGroup()
    {
        var errors = MaeFrontEnd.Errors(MaeFrontEnd.Model(
            "bands = [BLUE, GREEN, RED, NIR_BROAD, RED_EDGE_1, RED_EDGE_2, RED_EDGE_3, NIR_NARROW, SWIR_1]", "satmae_vit_base_multispectral"));

        var error = Assert.Single(errors);
        Assert.StartsWith("GEO1021", error, StringComparison.Ordinal);
        Assert.Contains("needs SWIR_2 in the input", error, StringComparison.Ordinal);
        Assert.Contains("channel group 3 (SWIR_1, SWIR_2)", error, StringComparison.Ordinal);
    }

    [Fact]
    public void AGroupEmbeddingThatLeavesNoRoomForPositionsIsReported()
    {
        var error = Assert.Single(MaeFrontEnd.Errors(MaeFrontEnd.Model(TenBands, "satmae_vit_base_multispectral { channel_embed = 766 }")));

        Assert.StartsWith("GEO0014", error, StringComparison.Ordinal);
        Assert.Contains("channel_embed", error, StringComparison.Ordinal);
    }

    [Fact]
    public void SeveralFramesAreReportedForThisSingleImageEncoder()
    {
        var errors = MaeFrontEnd.Errors(MaeFrontEnd.Model(TenBands + ", frames = 2", "satmae_vit_base_multispectral"));

        Assert.Contains(errors, e => e.StartsWith("GEO1022", StringComparison.Ordinal));
    }
}
