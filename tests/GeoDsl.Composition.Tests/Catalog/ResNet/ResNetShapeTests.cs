using GeoDsl.Composition.Shapes;

namespace GeoDsl.Composition.Tests.Catalog.ResNet;

/// <summary>
/// Shapes the front end gives ResNets: five channel-first levels (stem at stride 2, layer1..4 at 4..32) at the padded
/// size (a multiple of 32), <c>out_indices</c> selection, the Satlas multi-image frames, and the diagnostics.
/// </summary>
public sealed class ResNetShapeTests
{
    private static string Model(string backbone, string bands = "RED, GREEN, BLUE", string size = "224", int frames = 1, string decoder = "decoder fcn { channels = 16, num_convs = 2 }") => $$"""
        model M : segmentation {
            input { bands = [{{bands}}], size = {{size}}, frames = {{frames}} }
            backbone {{backbone}}
            {{decoder}}
            head segmentation { num_classes = 2 }
        }
        """;

    private static string[] BackboneOutputs(string text) =>
        TestModels.Single(TestModels.Compile(text)).Trace.Stages[0].Output.Tensors.Select(t => t.ToString()).ToArray();

    [Fact]
    public void AResNet50GivesFiveLevelsAtStrides2To32() =>
        Assert.Equal(new[] { "B×64×112×112", "B×256×56×56", "B×512×28×28", "B×1024×14×14", "B×2048×7×7" }, BackboneOutputs(Model("resnet50")));

    [Fact]
    public void AResNet18KeepsItsWidthsWithoutExpansion() =>
        Assert.Equal(new[] { "B×64×112×112", "B×64×56×56", "B×128×28×28", "B×256×14×14", "B×512×7×7" }, BackboneOutputs(Model("resnet18")));

    [Fact]
    public void ANonSquareSizeThatIsNotAMultipleOf32IsPaddedFirst() =>
        Assert.Equal(new[] { "B×64×64×80", "B×64×32×40", "B×128×16×20", "B×256×8×10", "B×512×4×5" }, BackboneOutputs(Model("resnet18", size: "[100, 160]")));

    [Fact]
    public void TerraTorchsTorchgeoEntriesGiveTheLastLevelByDefault() =>
        Assert.Equal(new[] { "B×2048×8×8" }, BackboneOutputs(Model("satlas_resnet50_sentinel2_si_rgb_satlas", size: "256")));

    [Fact]
    public void OutIndicesSelectLevelsInNetworkOrder() =>
        Assert.Equal(new[] { "B×64×112×112", "B×128×28×28", "B×512×7×7" }, BackboneOutputs(Model("resnet18 { out_indices = [-1, 0, 2] }")));

    [Fact]
    public void TheFiveLevelsFormTheHalvingPyramidAUNetNeeds() =>
        Assert.Equal("B×8×224×224", TestModels.Single(TestModels.Compile(Model("resnet18", decoder: "decoder unet { channels = [64, 32, 16, 16, 8] }")))
            .Trace.Stages[1].Output.Tensors[0].ToString());

    [Fact]
    public void ASatlasMultiImageEntryTakesSeveralFramesWithTheShapesOfOne() =>
        Assert.Equal(
            BackboneOutputs(Model("satlas_resnet152_sentinel2_mi_rgb { out_indices = [1, 2, 3, 4] }", size: "256")),
            BackboneOutputs(Model("satlas_resnet152_sentinel2_mi_rgb { out_indices = [1, 2, 3, 4] }", size: "256", frames: 4)));

    [Fact]
    public void ASingleImageEntryWithSeveralFramesNeedsTemporalPooling()
    {
        var file = TestModels.Compile(Model("ssl4eos12_resnet18_sentinel2_rgb_moco", frames: 3));
        Assert.Contains(file.Diagnostics, d => d.Id == "GEO1022" && d.Message.Contains("temporal_pooling", StringComparison.Ordinal));
    }

    [Fact]
    public void ASingleImageEntryWithTemporalPoolingRunsOnEachFrame() =>
        Assert.Equal(new[] { "B×512×7×7" }, BackboneOutputs(Model("ssl4eos12_resnet18_sentinel2_rgb_moco { temporal_pooling = max }", frames: 3)));

    [Theory]
    [InlineData("[5]")]
    [InlineData("[0, -6]")]
    public void AnOutIndexBeyondTheFiveLevelsIsReportedWithTheValidRange(string indices)
    {
        var file = TestModels.Compile(Model($"resnet50 {{ out_indices = {indices} }}"));
        var diagnostic = Assert.Single(file.Diagnostics, d => d.Id == "GEO1002");
        Assert.Contains("-5..4", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResNetFeaturesAreChannelFirstMaps() =>
        Assert.Equal(FeatureKind.Maps, TestModels.Single(TestModels.Compile(Model("resnet101"))).Trace.Stages[0].Output.Kind);
}
