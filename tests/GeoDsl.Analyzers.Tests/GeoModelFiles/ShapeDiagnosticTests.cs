using GeoDsl.Analyzers.Tests.Infrastructure;

namespace GeoDsl.Analyzers.Tests.GeoModelFiles;

/// <summary>GEO1001–GEO1005: shape contracts between the backbone, necks, decoder and head, with the numbers.</summary>
public sealed class ShapeDiagnosticTests
{
    [Fact]
    public Task TokensFedToAMapDecoderAreTheWrongKindOfFeatures() => TestHelper.AnalyzeModelAsync(
        Models.ValidWith(("    neck reshape_tokens_to_image\n    neck learned_interpolate_to_pyramidal\n", ""), ("decoder unet", "decoder {|#0:unet|}")),
        d => Assert.Contains("takes channel-first feature maps but receives token sequences 4 × B×197×256", d.GetMessage(), StringComparison.Ordinal),
        TestHelper.Diagnostic("GEO1001"));

    [Fact]
    public Task AnIndexPastTheLastBlockIsOutOfRange() => TestHelper.AnalyzeModelAsync(
        Models.ValidWith("indices = [0, 1, 2, 3]", "indices = [0, 1, 2, {|#0:40|}]"),
        d => Assert.Contains("Index 40 of neck 'select_indices' is out of range: backbone 'prithvi_eo_tiny' gives 4 features (valid indices -4..3)", d.GetMessage(), StringComparison.Ordinal),
        TestHelper.Diagnostic("GEO1002"));

    [Fact]
    public Task ThreeMapsForANeckThatNeedsFourAreTheWrongCount() => TestHelper.AnalyzeModelAsync(
        Models.ValidWith(("indices = [0, 1, 2, 3]", "indices = [0, 1, 2]"), ("neck learned_interpolate_to_pyramidal", "neck {|#0:learned_interpolate_to_pyramidal|}")),
        d => Assert.Contains("needs exactly 4 feature maps; it receives 3", d.GetMessage(), StringComparison.Ordinal),
        TestHelper.Diagnostic("GEO1003"));

    [Fact]
    public Task AChannelListShorterThanTheMapsIsReportedOnTheList() => TestHelper.AnalyzeModelAsync(
        Models.ValidWith("channels = [256, 128, 64, 32]", "channels = {|#0:[256, 128, 64]|}"),
        d => Assert.Contains("has 3 'channels' entries but receives 4", d.GetMessage(), StringComparison.Ordinal),
        TestHelper.Diagnostic("GEO1004"));

    [Fact]
    public Task SameSizeMapsAreNotThePyramidAUNetNeeds() => TestHelper.AnalyzeModelAsync(
        Models.ValidWith(("    neck learned_interpolate_to_pyramidal\n", ""), ("decoder unet", "decoder {|#0:unet|}")),
        d => Assert.Contains("it receives 14×14, 14×14, 14×14, 14×14. Add 'neck learned_interpolate_to_pyramidal'", d.GetMessage(), StringComparison.Ordinal),
        TestHelper.Diagnostic("GEO1005"));

    [Fact]
    public Task AnImageSizeOffThePatchGridIsOnlyAWarning() => TestHelper.AnalyzeModelAsync(
        Models.ValidWith(("SWIR_2] }", "SWIR_2], size = 200 }"), ("backbone prithvi_eo_tiny", "backbone {|GEO1006:prithvi_eo_tiny|}")));
}
