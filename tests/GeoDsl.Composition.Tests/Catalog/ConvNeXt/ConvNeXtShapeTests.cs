using GeoDsl.Composition.Shapes;

namespace GeoDsl.Composition.Tests.Catalog.ConvNeXt;

/// <summary>
/// Shapes the front end gives torchvision ConvNeXts: four channel-first stages at strides 4, 8, 16 and 32 at the padded
/// size (a multiple of 32), <c>out_indices</c> selection, and the diagnostics.
/// </summary>
public sealed class ConvNeXtShapeTests
{
    private static string Model(string backbone, string size = "224", string decoder = "decoder uper_net { channels = 16 }") => $$"""
        model M : segmentation {
            input { bands = [RED, GREEN, BLUE], size = {{size}} }
            backbone {{backbone}}
            {{decoder}}
            head segmentation { num_classes = 2 }
        }
        """;

    private static string[] BackboneOutputs(string text) =>
        TestModels.Single(TestModels.Compile(text)).Trace.Stages[0].Output.Tensors.Select(t => t.ToString()).ToArray();

    [Fact]
    public void ConvNeXtTinyGivesFourStagesAtStrides4To32() =>
        Assert.Equal(new[] { "B×96×56×56", "B×192×28×28", "B×384×14×14", "B×768×7×7" }, BackboneOutputs(Model("convnext_tiny")));

    [Fact]
    public void ConvNeXtBaseDoublesItsWidthPerStageFrom128() =>
        Assert.Equal(new[] { "B×128×56×56", "B×256×28×28", "B×512×14×14", "B×1024×7×7" }, BackboneOutputs(Model("convnext_base")));

    [Fact]
    public void ANonSquareSizeThatIsNotAMultipleOf32IsPaddedFirst() =>
        Assert.Equal(new[] { "B×96×32×48", "B×192×16×24", "B×384×8×12", "B×768×4×6" }, BackboneOutputs(Model("convnext_tiny", size: "[100, 170]")));

    [Fact]
    public void OutIndicesSelectStagesInTheGivenOrder() =>
        Assert.Equal(new[] { "B×768×7×7", "B×96×56×56" }, BackboneOutputs(Model("convnext_small { out_indices = [-1, 0] }", decoder: "decoder fcn { channels = 16, num_convs = 1 }")));

    [Fact]
    public void TheStagesFormTheHalvingPyramidAUNetNeeds() =>
        Assert.Equal("B×8×112×112", TestModels.Single(TestModels.Compile(Model("convnext_tiny", decoder: "decoder unet { channels = [64, 32, 16, 8] }")))
            .Trace.Stages[1].Output.Tensors[0].ToString());

    [Fact]
    public void SmallerWidthsAndDepthsCanBeGiven() =>
        Assert.Equal(new[] { "B×8×16×16", "B×16×8×8", "B×32×4×4" }, BackboneOutputs(Model("convnext_tiny { dims = [8, 16, 32], depths = [1, 1, 1] }", size: "64")));

    [Theory]
    [InlineData("convnext_tiny { out_indices = [4] }", "GEO1002", "-4..3")]
    [InlineData("convnext_tiny { depths = [1, 1, 1] }", "GEO0014", "one block count per stage (4 stages in dims)")]
    public void InvalidArgumentsAreReportedWithTheValidValues(string backbone, string id, string text)
    {
        var file = TestModels.Compile(Model(backbone));
        var diagnostic = Assert.Single(file.Diagnostics, d => d.Id == id);
        Assert.Contains(text, diagnostic.Message, StringComparison.Ordinal);
        Assert.Empty(file.Models);
    }

    [Fact]
    public void ConvNeXtFeaturesAreChannelFirstMaps() =>
        Assert.Equal(FeatureKind.Maps, TestModels.Single(TestModels.Compile(Model("convnext_large"))).Trace.Stages[0].Output.Kind);
}
