using GeoDsl.Composition.Shapes;

namespace GeoDsl.Composition.Tests.Catalog.SatMae;

/// <summary>The temporal SatMAE encoder's tokens: class token + T × (H/16)(W/16), 589 for 3 frames at 224 px.</summary>
public sealed class SatMaeTemporalShapeTests
{
    [Fact]
    public void ThreeFramesAt224PixelsGive589TokensPerBlock()
    {
        var output = MaeFrontEnd.BackboneOutput(MaeFrontEnd.Model("bands = [RED, GREEN, BLUE], frames = 3", "satmae_vit_large_temporal"));

        Assert.Equal(24, output.Count);
        Assert.All(output.Tensors, t => Assert.Equal(TensorShape.Of(589, 1024), t));
        Assert.Equal(new TokenLayout(true, 3, 14, 14), output.Tokens);
    }

    [Fact]
    public void AnotherSizeAndFrameCountScaleTheTokens()
    {
        var output = MaeFrontEnd.BackboneOutput(MaeFrontEnd.Model("bands = [RED, GREEN, BLUE], frames = 2, size = [64, 96]", "satmae_vit_large_temporal { out_indices = [-1] }"));

        Assert.Equal(TensorShape.Of(1 + (2 * 4 * 6), 1024), Assert.Single(output.Tensors));
    }

    [Fact]
    public void AWidthWithoutRoomBesideTheTimeEncodingsIsReported()
    {
        var error = Assert.Single(MaeFrontEnd.Errors(MaeFrontEnd.Model("bands = [RED, GREEN, BLUE], frames = 3", "satmae_vit_large_temporal { embed_dim = 384, num_heads = 4 }")));

        Assert.StartsWith("GEO0014", error, StringComparison.Ordinal);
        Assert.Contains("more than 384", error, StringComparison.Ordinal);
    }
}
