using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Shapes;
using GeoDsl.Composition.Tests.Catalog.SatMae;

namespace GeoDsl.Composition.Tests.Catalog.Ssl4eo;

/// <summary>
/// SSL4EO ViT-S/16 as TerraTorch wraps it: all 12 blocks as [384, H/16, W/16] maps (timm forward_intermediates, no
/// class token); out_indices is ignored there, so setting it is an error here.
/// </summary>
public sealed class Ssl4eoShapeTests
{
    private const string S2 = "ssl4eos12_vit_small_patch16_224_sentinel2_all_dino";

    private static string S2Bands => "bands = [" + string.Join(", ", Bands.FindSensor("s2_l1c")!.Bands) + "]";

    [Fact]
    public void At224PixelsEveryBlockIsA384ChannelMapAtOneSixteenth()
    {
        var output = MaeFrontEnd.BackboneOutput(MaeFrontEnd.Model(S2Bands, S2, tokens: false));

        Assert.Equal(FeatureKind.Maps, output.Kind);
        Assert.Equal(12, output.Count);
        Assert.All(output.Tensors, t => Assert.Equal(TensorShape.Of(384, 14, 14), t));
    }

    [Fact]
    public void ANonSquareSizeGivesMapsOfItsGrid()
    {
        var output = MaeFrontEnd.BackboneOutput(MaeFrontEnd.Model(S2Bands + ", size = [256, 512]", S2, tokens: false));

        Assert.All(output.Tensors, t => Assert.Equal(TensorShape.Of(384, 16, 32), t));
    }

    [Fact]
    public void SettingOutIndicesIsReportedAsIgnoredByTerraTorch()
    {
        var error = Assert.Single(MaeFrontEnd.Errors(MaeFrontEnd.Model(S2Bands, S2 + " { out_indices = [3, 5, 7, 11] }", tokens: false)));

        Assert.StartsWith("GEO1020", error, StringComparison.Ordinal);
        Assert.Contains("ignores out_indices = [3, 5, 7, 11]: TerraTorch's wrapper always returns all 12 blocks", error, StringComparison.Ordinal);
        Assert.Contains("select_indices", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ssl4eos12_vit_small_patch16_224_sentinel2_all_moco", "s2_l1c", 22_648_704)]
    [InlineData("ssl4eol_vit_small_patch16_224_landsat_etm_sr_simclr", "landsat_etm_sr", 21_960_576)]
    [InlineData("ssl4eol_vit_small_patch16_224_landsat_oli_tirs_toa_simclr", "landsat_oli_tirs_toa", 22_452_096)]
    public void TheSensorsBandsAreThePretrainedBandsAndSetTheCount(string name, string sensor, long expected)
    {
        var backbone = MaeFrontEnd.Backbone(name);
        var bands = Bands.FindSensor(sensor)!.Bands;

        Assert.Equal(bands, backbone.PretrainedBands);
        Assert.Equal(expected, backbone.CountParameters(MaeFrontEnd.Input(bands, 224, 224), MaeFrontEnd.NoArguments));
    }

    [Fact]
    public void TrainingMemoryGrowsWithTheImage()
    {
        var backbone = MaeFrontEnd.Backbone(S2);
        var settings = GeoDsl.Composition.Memory.ActivationSettings.For(GeoDsl.Composition.Specs.Precision.Fp32, training: true, gradientCheckpointing: false);
        var small = MaeFrontEnd.Input(Bands.FindSensor("s2_l1c")!.Bands, 224, 224);
        var large = MaeFrontEnd.Input(Bands.FindSensor("s2_l1c")!.Bands, 448, 448);
        var smallShape = FeatureShape.Maps(Enumerable.Repeat(TensorShape.Of(384, 14, 14), 12));
        var largeShape = FeatureShape.Maps(Enumerable.Repeat(TensorShape.Of(384, 28, 28), 12));

        var a = backbone.EstimateActivations(small, MaeFrontEnd.NoArguments, smallShape, settings);
        var b = backbone.EstimateActivations(large, MaeFrontEnd.NoArguments, largeShape, settings);

        Assert.True(a.SavedBytes > 0);
        Assert.True(b.SavedBytes > 3.5 * a.SavedBytes);
    }
}
