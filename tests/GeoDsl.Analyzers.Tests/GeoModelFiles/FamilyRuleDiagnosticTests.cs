using GeoDsl.Analyzers.Tests.Infrastructure;
using GeoDsl.Composition.Diagnostics;

namespace GeoDsl.Analyzers.Tests.GeoModelFiles;

/// <summary>
/// GEO1016–GEO1023: the backbone families' own rules (Clay's fixed size, square-only grids, wavelengths, TerraMind's
/// modalities, SSL4EO's ignored out_indices, SatMAE's channel groups, frames into a single-image backbone, bands in
/// another order than the pretrained weights), each at its place and with its numbers.
/// </summary>
public sealed class FamilyRuleDiagnosticTests
{
    private static string Model(string input, string backbone, string rest) => $$"""
        model M : segmentation {
            input { {{input}} }
            backbone {{backbone}}
        {{rest}}    head segmentation { num_classes = 2 }
        }
        """;

    private const string TokensToFcn = "    neck reshape_tokens_to_image\n    decoder fcn\n";

    [Fact]
    public Task ClayV1AtAnotherSizeIsReportedOnTheBackboneWithBothPatchCounts() => TestHelper.AnalyzeModelAsync(
        Model("bands = [BLUE, GREEN, RED, NIR_NARROW], size = 224", "{|#0:clay_v1_base|} { out_indices = [3, 5, 7, 11] }", TokensToFcn),
        d => Assert.Contains("img_size = 256 (1024 patches)", d.GetMessage(), StringComparison.Ordinal), // (256 / 8)² = 1024; (224 / 8)² = 784
        TestHelper.Diagnostic("GEO1016"));

    [Fact]
    public Task ANonSquareScaleMaeInputIsReportedWithTheSquareSizes() => TestHelper.AnalyzeModelAsync(
        Model("bands = [RED, GREEN, BLUE], size = [224, 448]", "{|#0:scalemae_vit_base_patch16|} { out_indices = [11] }", TokensToFcn),
        d => Assert.Contains("the input is 224×448. Use size = 224 or size = 448", d.GetMessage(), StringComparison.Ordinal),
        TestHelper.Diagnostic("GEO1017"));

    [Fact]
    public Task ABandWithoutAWavelengthIsReportedByName() => TestHelper.AnalyzeModelAsync(
        Model("bands = [RED, GREEN, ELEVATION]", "{|#0:dofa_base_patch16_224|} { out_indices = [11] }", TokensToFcn),
        d => Assert.Contains("but ELEVATION has none in GeoDsl's table; give 'wavelengths' (µm, one per band, 3 in all)", d.GetMessage(), StringComparison.Ordinal),
        TestHelper.Diagnostic("GEO1018"));

    [Fact]
    public Task RadarBandsWithOnlyTheOpticalModalityAreReportedOnTheModalities() => TestHelper.AnalyzeModelAsync(
        Model("bands = [RED, GREEN, BLUE, VV, VH]", "terramind_v1_base { modalities = {|#0:[S2L2A]|} }", "    neck select_indices { indices = [11] }\n" + TokensToFcn),
        d => Assert.Contains("cannot split the 5 input bands into its modalities", d.GetMessage(), StringComparison.Ordinal),
        TestHelper.Diagnostic("GEO1019"));

    [Fact]
    public Task Ssl4eoOutIndicesAreReportedOnTheListWithTheBlockCount() => TestHelper.AnalyzeModelAsync(
        Model("bands = [BLUE, GREEN, RED, NIR_BROAD, SWIR_1, SWIR_2]", "ssl4eol_vit_small_patch16_224_landsat_etm_sr_moco { out_indices = {|#0:[3, 7, 11]|} }", "    decoder fcn\n"),
        d => Assert.Contains("always returns all 12 blocks", d.GetMessage(), StringComparison.Ordinal),
        TestHelper.Diagnostic("GEO1020"));

    [Fact]
    public Task AMissingChannelGroupBandIsReportedOnTheBackbone() => TestHelper.AnalyzeModelAsync(
        Model("bands = [BLUE, GREEN, RED, NIR_NARROW]", "{|#0:satmae_vit_base_multispectral|}", "    neck select_indices { indices = [11] }\n" + TokensToFcn),
        d => Assert.Contains("needs NIR_BROAD in the input: channel group 1 (BLUE, GREEN, RED, NIR_BROAD)", d.GetMessage(), StringComparison.Ordinal),
        TestHelper.Diagnostic("GEO1021"));

    [Fact]
    public Task ThreeFramesIntoResNetWithoutPoolingAreReportedOnTheBackbone() => TestHelper.AnalyzeModelAsync(
        Model("bands = [RED, GREEN, BLUE], frames = 3", "{|#0:resnet18|}", "    decoder fcn\n"),
        d => Assert.Contains("encodes one image, but the input has 3 frames", d.GetMessage(), StringComparison.Ordinal),
        TestHelper.Diagnostic("GEO1022"));

    [Fact]
    public Task ReorderedPretrainedBandsAreInformationCarryingThePretrainedOrder() => TestHelper.AnalyzeModelAsync(
        Models.ValidWith(("[BLUE, GREEN, RED, NIR_NARROW, SWIR_1, SWIR_2]", "{|#0:[RED, GREEN, BLUE, NIR_NARROW, SWIR_1, SWIR_2]|}"), ("backbone prithvi_eo_tiny", "backbone prithvi_eo_tiny { pretrained = true }")),
        d => Assert.Equal("[BLUE, GREEN, RED, NIR_NARROW, SWIR_1, SWIR_2]", d.Properties[DiagnosticProperties.Replacement]),
        TestHelper.Diagnostic("GEO1023"));

    [Fact]
    public Task TokensIntoAMapDecoderCarryTheNeckToInsert() => TestHelper.AnalyzeModelAsync(
        Models.ValidWith(("    neck reshape_tokens_to_image\n    neck learned_interpolate_to_pyramidal\n", ""), ("decoder unet", "decoder {|#0:unet|}")),
        d => Assert.Equal("reshape_tokens_to_image", d.Properties[DiagnosticProperties.InsertNeck]),
        TestHelper.Diagnostic("GEO1001"));
}
