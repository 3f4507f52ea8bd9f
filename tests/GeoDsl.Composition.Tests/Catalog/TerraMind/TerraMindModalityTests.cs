using GeoDsl.Composition.Catalog;
using GeoDsl.Composition.Catalog.Backbones;
using GeoDsl.Composition.Helpers;

namespace GeoDsl.Composition.Tests.Catalog.TerraMind;

/// <summary>
/// <c>modalities = [...]</c> names TerraTorch's backbone_modalities in input-channel order; the input bands list each
/// modality's bands in turn, split by each modality's pretrained bands or explicitly by <c>modality_channels</c>.
/// Token inputs (LULC, NDVI), a modality twice, bands that fit no modality, dict merging and multi-frame inputs without
/// temporal pooling are reported where they were written.
/// </summary>
public sealed class TerraMindModalityTests
{
    private static IReadOnlyList<(string Name, string Bands)> Split(string[] bands, string[] modalities, int[]? counts = null)
    {
        var result = TerraMindBackbone.AssignBands(bands, modalities, counts, out var expected, out var got);
        Assert.True(result is not null, $"{expected} / {got}");
        return result!.Value.Select(m => (m.Name, string.Join(" ", m.Bands))).ToList();
    }

    [Fact]
    public void BandsSplitWhereTheNextModalitysBandsBegin()
    {
        var split = Split(new[] { "BLUE", "GREEN", "RED", "VV", "VH", "ELEVATION" }, new[] { "S2L2A", "S1GRD", "DEM" });
        Assert.Equal(new[] { ("S2L2A", "BLUE GREEN RED"), ("S1GRD", "VV VH"), ("DEM", "ELEVATION") }, split);
    }

    [Fact]
    public void ModalityChannelsSplitBandsThatSeveralModalitiesShare()
    {
        var split = Split(new[] { "BLUE", "NIR_NARROW", "RED", "GREEN" }, new[] { "S2L2A", "S2RGB" }, new[] { 2, 2 });
        Assert.Equal(new[] { ("S2L2A", "BLUE NIR_NARROW"), ("S2RGB", "RED GREEN") }, split);
    }

    [Fact]
    public void TheModelSpecKeepsTheModalitiesAndTheEncoderTheirEmbeddingKeys()
    {
        var analysis = TerraMindModels.Valid(TerraMindModels.Model(TerraMindModels.S2L1C + ", VV, VH", arguments: "modalities = [S2L1C, S1GRD]"));
        var descriptor = (TerraMindBackbone)ComponentCatalog.Default.FindBackbone("terramind_v1_base")!;
        var arch = descriptor.Resolve(analysis.Spec.Input, analysis.Spec.Backbone.Args)!;

        Assert.Equal(new[] { "untok_sen2l1c@224", "untok_sen1grd@224" }, arch.Modalities.Select(m => m.Key));
        Assert.Equal(new[] { 13, 2 }, arch.Modalities.Select(m => m.Channels));
        Assert.Equal(392, arch.SequenceLength);
    }

    [Fact]
    public void TheDefaultModalityIsS2L2AWithItsTwelveBands()
    {
        var descriptor = (TerraMindBackbone)ComponentCatalog.Default.FindBackbone("terramind_v1_small")!;
        Assert.Equal(TerraMindModels.S2L2A.Split(", "), descriptor.PretrainedBands);
        Assert.DoesNotContain("CIRRUS", descriptor.PretrainedBands);
        Assert.Equal(13, TerraMindBackbone.PretrainedBandsOf("S2L1C").Count);
        Assert.Equal(new[] { "VV", "VH" }, TerraMindBackbone.PretrainedBandsOf("S1RTC"));
        Assert.Equal(new[] { "ELEVATION" }, TerraMindBackbone.PretrainedBandsOf("DEM"));
        Assert.Equal(new[] { "RED", "GREEN", "BLUE" }, TerraMindBackbone.PretrainedBandsOf("RGB"));
        Assert.All(TerraMindVariants.Modalities.SelectMany(m => m.Bands), b => Assert.NotNull(Bands.Find(b)));
    }

    [Theory]
    [InlineData("LULC")]
    [InlineData("NDVI")]
    public void TokenModalitiesAreRejectedAtTheirListItem(string modality)
    {
        var text = TerraMindModels.Model("VV, VH", arguments: $"modalities = [S1GRD, {modality}]");
        var error = TerraMindModels.SingleError(text);

        Assert.Equal("GEO0014", error.Id);
        Assert.Contains($"got {modality}, which TerraMind v1 takes only as FSQ tokens", error.Message);
        Assert.Equal(text.IndexOf(modality + "]", StringComparison.Ordinal), error.Location.Span.Start);
    }

    [Fact]
    public void RgbAndS2RgbAreOneEmbeddingAndCannotBothBeListed()
    {
        var error = TerraMindModels.SingleError(TerraMindModels.Model("RED, GREEN, BLUE", arguments: "modalities = [S2RGB, RGB], modality_channels = [2, 1]"));
        Assert.Equal("GEO0014", error.Id);
        Assert.Contains("each modality once", error.Message);
        Assert.Contains("untok_sen2rgb@224", error.Message);
    }

    [Fact]
    public void ABandOfNoRemainingModalityIsReportedWithItsChannel()
    {
        var error = TerraMindModels.SingleError(TerraMindModels.Model("BLUE, VV, GREEN", arguments: "modalities = [S2L2A, S1GRD]"));
        Assert.Equal("GEO1019", error.Id);
        Assert.Contains("cannot split the 3 input bands into its modalities", error.Message);
        Assert.Contains("input band GREEN (channel 2) is a band of none of S1GRD", error.Message);
        Assert.Contains("S1GRD: VV, VH", error.Message);
    }

    [Fact]
    public void AModalityWithoutBandsIsReported()
    {
        var error = TerraMindModels.SingleError(TerraMindModels.Model("RED, GREEN, BLUE", arguments: "modalities = [S2L2A, S2RGB]"));
        Assert.Contains("S2RGB receives none of the input bands", error.Message);
        Assert.Contains("modality_channels", error.Message);
    }

    [Theory]
    [InlineData("[13]", "one band count per modality (2: S2L1C, S1GRD)")]
    [InlineData("[13, 1]", "counts that add up to the input's 15 bands")]
    public void ModalityChannelsMustGiveOneCountPerModalityAddingUpToTheBands(string counts, string expected)
    {
        var text = TerraMindModels.Model(TerraMindModels.S2L1C + ", VV, VH", arguments: $"modalities = [S2L1C, S1GRD], modality_channels = {counts}");
        var error = TerraMindModels.SingleError(text);
        Assert.Contains(expected, error.Message);
        Assert.Equal(text.IndexOf(counts, StringComparison.Ordinal), error.Location.Span.Start);
    }

    [Fact]
    public void DictMergingIsRejectedInAModelWithTheCodePathToUseInstead()
    {
        var error = TerraMindModels.SingleError(TerraMindModels.Model("VV, VH", arguments: "modalities = [S1GRD], merge_method = dict"));
        Assert.Equal("GEO0014", error.Id);
        Assert.Contains("no neck or decoder takes", error.Message);
        Assert.Contains("EncodePerModality", error.Message);
    }

    [Fact]
    public void SeveralFramesWithoutTemporalPoolingAreRejected()
    {
        var error = TerraMindModels.SingleError(TerraMindModels.Model("VV, VH", arguments: "modalities = [S1GRD]", input: ", frames = 2"));
        Assert.Equal("GEO1022", error.Id);
    }

    [Fact]
    public void AHeadCountThatDoesNotDivideTheWidthIsReported()
    {
        var error = TerraMindModels.SingleError(TerraMindModels.Model("VV, VH", arguments: "modalities = [S1GRD], dim = 64, num_heads = 5"));
        Assert.Equal("GEO0014", error.Id);
        Assert.Contains("a divisor of dim 64", error.Message);
    }

    [Fact]
    public void AnUnknownModalitySuggestsTheClosestName()
    {
        var file = TerraMindModels.Compile(TerraMindModels.Model("VV, VH", arguments: "modalities = [S1GDR]"));
        var error = Assert.Single(file.Diagnostics);
        Assert.Contains("S1GRD", error.Message);
    }

    [Fact]
    public void AssignmentIsAValueTheGeneratorCanCache()
    {
        var a = TerraMindBackbone.AssignBands(new[] { "VV", "VH" }, new[] { "S1GRD" }, null, out _, out _);
        var b = TerraMindBackbone.AssignBands(new[] { "VV", "VH" }, new[] { "S1GRD" }, null, out _, out _);
        Assert.Equal(a, b);
        Assert.Equal(EquatableArray.Create("VV", "VH"), a!.Value[0].Bands);
    }
}
