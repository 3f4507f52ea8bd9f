using GeoDsl.Composition.Catalog.Backbones;

namespace GeoDsl.Composition.Tests.Catalog.SatMae;

/// <summary>
/// The closed forms at the published configurations (the same figures as bench/keys/NAME.txt's learnable count, and
/// ≈303 M for ViT-L as backbone-facts.md §A3 computes): positions, group tables and class token are learned in SatMAE's
/// fine-tuning models, so they count.
/// </summary>
public sealed class SatMaeParameterCountTests
{
    [Theory]
    [InlineData("satmae_vit_base_multispectral", 85_625_856)]
    [InlineData("satmae_vit_large_multispectral", 303_083_264)]
    public void TheMultispectralEncodersHaveTheirClosedFormCounts(string name, long expected)
    {
        var input = MaeFrontEnd.Input(SatMaeVariants.MultispectralBands, 96, 96);

        Assert.Equal(expected, MaeFrontEnd.Backbone(name).CountParameters(input, MaeFrontEnd.NoArguments));
    }

    [Fact]
    public void TheTemporalEncoderHasItsClosedFormCountForAnyFrameCount()
    {
        var backbone = MaeFrontEnd.Backbone("satmae_vit_large_temporal");

        // 787,456 patch + 1,024 class + 197 × 640 positions + 24 × 12,596,224 + 2,048 norm.
        Assert.Equal(303_225_984, backbone.CountParameters(MaeFrontEnd.Input(SatMaeVariants.RgbBands, 224, 224, frames: 3), MaeFrontEnd.NoArguments));
        Assert.Equal(303_225_984, backbone.CountParameters(MaeFrontEnd.Input(SatMaeVariants.RgbBands, 224, 224, frames: 5), MaeFrontEnd.NoArguments));
    }

    [Fact]
    public void ThePositionTableGrowsWithTheDeclaredSize()
    {
        var backbone = MaeFrontEnd.Backbone("satmae_vit_large_multispectral");
        long at96 = backbone.CountParameters(MaeFrontEnd.Input(SatMaeVariants.MultispectralBands, 96, 96), MaeFrontEnd.NoArguments);
        long at128 = backbone.CountParameters(MaeFrontEnd.Input(SatMaeVariants.MultispectralBands, 128, 128), MaeFrontEnd.NoArguments);

        Assert.Equal(((16 * 16) - (12 * 12)) * 768, at128 - at96);
    }
}
