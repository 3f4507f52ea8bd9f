using GeoDsl.Composition.Shapes;

namespace GeoDsl.Composition.Tests.Catalog.VisionTransformer;

/// <summary>
/// Shapes the front end gives torchvision ViTs: one token tensor [B, 1 + h·w, D] per block (class token first) at the
/// padded size (a multiple of 2 × patch, as TerraTorch pads), <c>out_indices</c> selection and the diagnostics.
/// </summary>
public sealed class VisionTransformerShapeTests
{
    private static string Model(string backbone, string bands = "RED, GREEN, BLUE", string size = "224", int frames = 1) => $$"""
        model M : segmentation {
            input { bands = [{{bands}}], size = {{size}}, frames = {{frames}} }
            backbone {{backbone}}
            neck select_indices { indices = [-1] }
            neck reshape_tokens_to_image
            decoder fcn { channels = 16, num_convs = 1 }
            head segmentation { num_classes = 2 }
        }
        """;

    private static FeatureShape BackboneOutput(string text) => TestModels.Single(TestModels.Compile(text)).Trace.Stages[0].Output;

    [Fact]
    public void ViTB16At224GivesTwelveBlocksOfTheClassTokenAnd196Patches()
    {
        var output = BackboneOutput(Model("vit_b_16"));
        Assert.Equal(FeatureKind.Tokens, output.Kind);
        Assert.Equal(Enumerable.Repeat("B×197×768", 12), output.Tensors.Select(t => t.ToString()));
        Assert.Equal(new TokenLayout(HasClsToken: true, Frames: 1, Rows: 14, Columns: 14), output.Tokens);
    }

    [Theory]
    [InlineData("vit_small_patch16", 12, "B×197×384")]
    [InlineData("vit_large_patch16", 24, "B×197×1024")]
    [InlineData("vit_huge_patch14", 32, "B×257×1280")]
    [InlineData("vit_h_14", 32, "B×257×1280")]
    public void EveryVariantGivesOneTensorPerBlock(string backbone, int blocks, string shape) =>
        Assert.Equal(Enumerable.Repeat(shape, blocks), BackboneOutput(Model(backbone)).Tensors.Select(t => t.ToString()));

    [Fact]
    public void ANonSquareSizeGivesANonSquareGrid()
    {
        var output = BackboneOutput(Model("vit_base_patch16 { out_indices = [-1] }", size: "[224, 320]"));
        Assert.Equal("B×281×768", Assert.Single(output.Tensors).ToString());
        Assert.Equal((14, 20), (output.Tokens!.Rows, output.Tokens.Columns));
    }

    [Fact]
    public void OutIndicesSelectBlocksInTheGivenOrder() =>
        Assert.Equal(3, BackboneOutput(Model("vit_b_16 { out_indices = [11, 5, -12] }")).Count);

    [Fact]
    public void ASizeThatIsNotAMultipleOfTwicePatchIsPaddedWithAWarning()
    {
        var file = TestModels.Compile(Model("vit_b_16", size: "200"));
        var warning = Assert.Single(file.Diagnostics);
        Assert.Equal("GEO1006", warning.Id);
        Assert.Contains("Image size 200 is not a multiple of 32 (2 × patch 16); it is padded to 224", warning.Message, StringComparison.Ordinal);
        Assert.Equal("B×197×768", TestModels.Single(file).Trace.Stages[0].Output.Tensors[0].ToString());
    }

    [Fact]
    public void APatch32ModelAt224IsPaddedTo256AsTerraTorchPadsTwicePatch()
    {
        var file = TestModels.Compile(Model("vit_b_32"));
        Assert.Equal("GEO1006", Assert.Single(file.Diagnostics).Id);
        Assert.Equal("B×65×768", TestModels.Single(file).Trace.Stages[0].Output.Tensors[0].ToString());
    }

    [Theory]
    [InlineData("vit_b_16 { out_indices = [12] }", "GEO1002", "-12..11")]
    [InlineData("vit_b_16 { out_indices = [0, -13] }", "GEO1002", "-12..11")]
    [InlineData("vit_b_16 { num_heads = 5 }", "GEO0014", "a divisor of hidden_dim 768")]
    [InlineData("vit_b_16 { image_size = 100 }", "GEO0014", "a multiple of the patch size 16")]
    public void InvalidArgumentsAreReportedWithTheValidValues(string backbone, string id, string text)
    {
        var file = TestModels.Compile(Model(backbone));
        var diagnostic = Assert.Single(file.Diagnostics, d => d.Id == id);
        Assert.Contains(text, diagnostic.Message, StringComparison.Ordinal);
        Assert.Empty(file.Models);
    }

    [Fact]
    public void SeveralFramesNeedTemporalPoolingAndThenRunPerFrame()
    {
        Assert.Contains(TestModels.Compile(Model("vit_b_16", frames: 3)).Diagnostics, d => d.Id == "GEO1022" && d.Message.Contains("temporal_pooling", StringComparison.Ordinal));
        Assert.Equal("B×197×768", BackboneOutput(Model("vit_b_16 { temporal_pooling = mean }", frames: 3)).Tensors[0].ToString());
    }

    [Fact]
    public void AnyNumberOfBandsIsAccepted() =>
        Assert.Equal("B×197×768", BackboneOutput(Model("vit_b_16", bands: "BLUE, GREEN, RED, NIR_NARROW, SWIR_1, SWIR_2, VV, VH")).Tensors[0].ToString());
}
