using Microsoft.CodeAnalysis;

namespace GeoDsl.CodeFixes.Tests;

/// <summary>Code fixes on [GeoModel] classes: each applies the data its diagnostic carries, and the result compiles clean.</summary>
public sealed class AttributedModelFixTests
{
    private static string Model(string input, string necks, string decoder, string train = "", string target = "") => $$"""
        using GeoDsl;

        namespace Demo
        {
            [GeoModel("segmentation")]
            [GeoInput({{input}})]
            [GeoBackbone("prithvi_eo_tiny", "pretrained = true")]
        {{necks}}    [GeoDecoder({{decoder}})]
            [GeoHead("segmentation", "num_classes = 2")]{{train}}{{target}}
            public partial class FloodMapper
            {
            }
        }
        """;

    private const string Bands = "\"bands = [BLUE, GREEN, RED, NIR_NARROW, SWIR_1, SWIR_2]\"";

    private const string FourBlocks = "    [GeoNeck(\"select_indices\", \"indices = [0, 1, 2, 3]\")]\n";

    private const string Reshape = "    [GeoNeck(\"reshape_tokens_to_image\")]\n";

    [Fact]
    public Task TokensIntoAMapDecoderGetTheReshapeNeckInsertedBeforeIt() => FixVerifier.FixClassAsync(
        Model(Bands, "    [GeoNeck(\"select_indices\", \"indices = [3]\")]\n", "\"{|GEO1001:fcn|}\""),
        Model(Bands, "    [GeoNeck(\"select_indices\", \"indices = [3]\")]\n" + Reshape, "\"fcn\""),
        "Insert 'neck reshape_tokens_to_image'");

    [Fact]
    public Task SameSizeMapsIntoAUNetGetTheLearnedPyramidNeckInsertedBeforeIt() => FixVerifier.FixClassAsync(
        Model(Bands, FourBlocks + Reshape, "\"{|GEO1005:unet|}\", \"channels = [256, 128, 64, 32]\""),
        Model(Bands, FourBlocks + Reshape + "    [GeoNeck(\"learned_interpolate_to_pyramidal\")]\n", "\"unet\", \"channels = [256, 128, 64, 32]\""),
        "Insert 'neck learned_interpolate_to_pyramidal'");

    [Fact]
    public Task BandsOutOfThePretrainedOrderAreListedInIt() => FixVerifier.FixClassAsync(
        Model("\"bands = {|GEO1023:[RED, GREEN, BLUE, NIR_NARROW, SWIR_1, SWIR_2]|}\"", FourBlocks + Reshape, "\"fcn\""),
        Model(Bands, FourBlocks + Reshape, "\"fcn\""),
        "List the bands in the pretrained order");
}
