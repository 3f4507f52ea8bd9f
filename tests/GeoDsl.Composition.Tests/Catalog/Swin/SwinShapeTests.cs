namespace GeoDsl.Composition.Tests.Catalog.Swin;

/// <summary>
/// What the front end says a Swin gives: channel-last maps [H/s, W/s, C·2^i] at strides 4…32 (the input padded to a
/// multiple of 32), selected by <c>out_indices</c> — stages for torchvision and Prithvi-Swin, the eight <c>features</c>
/// modules for Satlas — and the diagnostics for what cannot run.
/// </summary>
public sealed class SwinShapeTests
{
    [Fact]
    public void ATorchvisionSwinGivesFourChannelLastStagesAtStrides4To32()
    {
        var analysis = SwinModels.Valid(SwinModels.Model("swin_t"));
        Assert.Equal(new[] { "B×56×56×96", "B×28×28×192", "B×14×14×384", "B×7×7×768" }, SwinModels.Shapes(analysis));
        Assert.Equal(GeoDsl.Composition.Shapes.FeatureKind.ChannelLastMaps, SwinModels.Backbone(analysis).Output.Kind);
    }

    [Fact]
    public void PermuteDimsTurnsTheStagesChannelFirstForUperNet()
    {
        var analysis = SwinModels.Valid(SwinModels.Model("swin_v2_b", size: "256"));
        var neck = analysis.Trace.Stages.First(s => s.Kind == "neck");
        Assert.Equal("channel-first feature maps B×128×64×64, B×256×32×32, B×512×16×16, B×1024×8×8", neck.Output.ToString());
        Assert.Equal("B×2×256×256", analysis.Trace.Final.Output.Tensors[0].ToString());
    }

    [Fact]
    public void WithoutPermuteDimsTheDecoderSaysWhichNeckToAdd()
    {
        var error = SwinModels.SingleError(SwinModels.Model("prithvi_swin_B", SwinModels.Hls, necks: ""));
        Assert.Equal("GEO1001", error.Id);
        Assert.Contains("permute_dims { new_order = [0, 3, 1, 2] }", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SatlasGivesTheLastStageByDefault()
    {
        var analysis = SwinModels.Valid(SwinModels.Model("satlas_swin_b_sentinel2_si_ms", SwinModels.Sentinel2Multispectral, size: "512", decoder: "decoder fcn { channels = 64, num_convs = 1 }"));
        Assert.Equal(new[] { "B×16×16×1024" }, SwinModels.Shapes(analysis));
    }

    [Fact]
    public void SatlasOutIndicesIndexTheFeaturesModulesAndComeInModuleOrder()
    {
        var analysis = SwinModels.Valid(SwinModels.Model("satlas_swin_t_sentinel2_si_rgb", arguments: "out_indices = [7, 5, 3, 1]", size: "256"));
        Assert.Equal(new[] { "B×64×64×96", "B×32×32×192", "B×16×16×384", "B×8×8×768" }, SwinModels.Shapes(analysis));

        var mergings = SwinModels.Valid(SwinModels.Model("satlas_swin_t_sentinel2_si_rgb", arguments: "out_indices = [0, 2, 4, 6]", size: "256"));
        Assert.Equal(new[] { "B×64×64×96", "B×32×32×192", "B×16×16×384", "B×8×8×768" }, SwinModels.Shapes(mergings));
    }

    [Fact]
    public void PrithviSwinGivesItsSelectedStagesInStageOrder()
    {
        var analysis = SwinModels.Valid(SwinModels.Model("prithvi_swin_L", SwinModels.Hls, "out_indices = [3, 1]", decoder: "decoder fcn { channels = 64, num_convs = 1 }"));
        Assert.Equal(new[] { "B×28×28×384", "B×7×7×1536" }, SwinModels.Shapes(analysis));
    }

    [Fact]
    public void ASizeThatIsNoMultipleOf32IsPaddedWithAWarning()
    {
        var file = SwinModels.Compile(SwinModels.Model("swin_t", size: "200"));
        var warning = Assert.Single(file.Diagnostics);
        Assert.Equal("GEO1006", warning.Id);
        Assert.Contains("not a multiple of 32", warning.Message, StringComparison.Ordinal);
        Assert.Contains("Use 192 or 224.", warning.Message, StringComparison.Ordinal);
        Assert.Equal(new[] { "B×56×56×96", "B×28×28×192", "B×14×14×384", "B×7×7×768" }, SwinModels.Shapes(Assert.Single(file.Models)));
    }

    [Fact]
    public void ANonSquareInputGivesNonSquareMaps()
    {
        var analysis = SwinModels.Valid(SwinModels.Model("swin_b", size: "[128, 320]"));
        Assert.Equal(new[] { "B×32×80×128", "B×16×40×256", "B×8×20×512", "B×4×10×1024" }, SwinModels.Shapes(analysis));
    }

    [Fact]
    public void AnOutIndexBeyondTheOutputsIsReportedOnThatItem()
    {
        var error = SwinModels.SingleError(SwinModels.Model("satlas_swin_b_sentinel1_si", "VH, VV", "out_indices = [1, 8]"));
        Assert.Equal("GEO1002", error.Id);
        Assert.Contains("Index 8", error.Message, StringComparison.Ordinal);
        Assert.Contains("8 features (valid indices -8..7)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HeadsThatDoNotDivideAStageWidthAreReported()
    {
        var error = SwinModels.SingleError(SwinModels.Model("swin_t", arguments: "num_heads = [5, 6, 12, 24]"));
        Assert.Equal("GEO0014", error.Id);
        Assert.Contains("divisors of the stage widths 96, 192, 384, 768", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMultiImageSatlasModelTakesSeveralFramesAndGivesOneSetOfMaps()
    {
        var analysis = SwinModels.Valid(SwinModels.Model("satlas_swin_b_sentinel1_mi", "VH, VV", "out_indices = [1, 3, 5, 7]", size: "256", frames: "4"));
        Assert.Equal(new[] { "B×64×64×128", "B×32×32×256", "B×16×16×512", "B×8×8×1024" }, SwinModels.Shapes(analysis));
    }

    [Fact]
    public void ASingleImageSwinOverSeveralFramesNeedsTemporalPooling()
    {
        var error = SwinModels.SingleError(SwinModels.Model("satlas_swin_b_sentinel1_si", "VH, VV", size: "256", frames: "3"));
        Assert.Equal("GEO1022", error.Id);
        Assert.Contains("temporal_pooling", error.Message, StringComparison.Ordinal);

        var pooled = SwinModels.Valid(SwinModels.Model("satlas_swin_b_sentinel1_si", "VH, VV", "out_indices = [1, 3, 5, 7], temporal_pooling = concat", size: "256", frames: "3"));
        Assert.Equal("B×64×64×384", SwinModels.Shapes(pooled)[0]);
    }
}
